import type { RefObject } from 'react';

/** The iframe of an embedded player, with what both YouTube and Vimeo need to play. */
export function PlayerFrame({
  frame,
  src,
  title,
  allow,
  onLoad,
}: {
  frame: RefObject<HTMLIFrameElement | null>;
  src: string;
  title: string;
  allow: string;
  onLoad: () => void;
}) {
  return (
    <iframe
      ref={frame}
      className="player-frame"
      src={src}
      title={title}
      onLoad={onLoad}
      allow={allow}
      allowFullScreen
      // YouTube's embeds refuse to play without a referrer.
      referrerPolicy="strict-origin-when-cross-origin"
    />
  );
}
