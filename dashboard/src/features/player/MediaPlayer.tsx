import { useImperativeHandle, useRef, type Ref } from 'react';

import type { PlayerHandle } from './handle';

/** A direct media file in the browser's own player. */
export function MediaPlayer({
  url,
  title,
  ref,
}: {
  url: string;
  title: string;
  ref: Ref<PlayerHandle>;
}) {
  const video = useRef<HTMLVideoElement>(null);
  useImperativeHandle(
    ref,
    () => ({
      seek(seconds) {
        if (video.current) video.current.currentTime = seconds;
      },
      currentTime: () => video.current?.currentTime ?? null,
    }),
    [],
  );
  return (
    // Reviewers' own cuts carry no caption track; the page's notes are the text alongside.
    // eslint-disable-next-line jsx-a11y/media-has-caption
    <video
      ref={video}
      className="player-media"
      src={url}
      controls
      preload="metadata"
      playsInline
      aria-label={title}
    />
  );
}
