import { useCallback, useEffect, useMemo, useRef, type Ref } from 'react';

import type { PlayerHandle } from './handle';
import { parseYouTubeMessage, youtubeCommand, youtubeListening } from './messages';
import { PlayerFrame } from './PlayerFrame';
import { YOUTUBE_ORIGINS, youtubeEmbedUrl } from './playerKind';
import { useFramePlayer } from './useFramePlayer';

/** The id YouTube's player echoes in its messages; one player per page. */
const WIDGET_ID = 1;
/** Like the IFrame API: say "listening" every 250 ms until the player answers (≤ 15 s). */
const LISTEN_EVERY_MS = 250;
const LISTEN_TRIES = 60;

const seekMessage = (seconds: number) => youtubeCommand('seekTo', [seconds, true], WIDGET_ID);

export function YouTubePlayer({
  embedUrl,
  title,
  ref,
}: {
  embedUrl: string;
  title: string;
  ref: Ref<PlayerHandle>;
}) {
  const src = useMemo(() => youtubeEmbedUrl(embedUrl, window.location.origin), [embedUrl]);
  const answered = useRef(false);
  const listener = useRef<number | undefined>(undefined);

  const stopListening = useCallback(() => {
    window.clearInterval(listener.current);
    listener.current = undefined;
  }, []);
  const onReport = useCallback(() => {
    answered.current = true;
    stopListening();
  }, [stopListening]);
  const { frame, post } = useFramePlayer({
    ref,
    src,
    origins: YOUTUBE_ORIGINS,
    parse: parseYouTubeMessage,
    seekMessage,
    onReport,
  });

  const onLoad = useCallback(() => {
    answered.current = false;
    stopListening();
    let tries = 0;
    const listen = () => {
      tries += 1;
      if (answered.current || tries > LISTEN_TRIES) stopListening();
      else post(youtubeListening(WIDGET_ID));
    };
    listen();
    listener.current = window.setInterval(listen, LISTEN_EVERY_MS);
  }, [post, stopListening]);
  useEffect(() => stopListening, [stopListening]);

  return (
    <PlayerFrame
      frame={frame}
      src={src}
      title={title}
      onLoad={onLoad}
      allow="autoplay; encrypted-media; picture-in-picture; fullscreen"
    />
  );
}
