import { useCallback, useImperativeHandle, useMemo, useRef, type Ref } from 'react';

import type { PlayerHandle } from './handle';
import { parseVimeoMessage, vimeoCommand, type PlayerReport } from './messages';
import { VIMEO_ORIGINS, vimeoEmbedUrl } from './playerKind';
import { useFramePlayer } from './useFramePlayer';

/** The events the page follows; the player sends them once asked with `addEventListener`. */
const EVENTS = ['timeupdate', 'play', 'pause', 'seeked'];

export function VimeoPlayer({
  embedUrl,
  title,
  ref,
}: {
  embedUrl: string;
  title: string;
  ref: Ref<PlayerHandle>;
}) {
  const frame = useRef<HTMLIFrameElement>(null);
  const src = useMemo(() => vimeoEmbedUrl(embedUrl), [embedUrl]);
  const target = useMemo(() => new URL(src).origin, [src]);

  const post = useCallback(
    (message: ReturnType<typeof vimeoCommand>) => {
      frame.current?.contentWindow?.postMessage(message, target);
    },
    [target],
  );
  const listen = useCallback(() => {
    for (const event of EVENTS) post(vimeoCommand('addEventListener', event));
  }, [post]);
  // The player announces `ready` when it can take listeners; asking again is harmless.
  const onReport = useCallback(
    (report: PlayerReport) => {
      if (report.ready && report.currentTime === undefined && report.playing === undefined) {
        listen();
      }
    },
    [listen],
  );
  const { currentTime, moved } = useFramePlayer({
    frame,
    origins: VIMEO_ORIGINS,
    parse: parseVimeoMessage,
    onReport,
  });

  useImperativeHandle(
    ref,
    () => ({
      seek(seconds) {
        post(vimeoCommand('setCurrentTime', seconds));
        moved(seconds);
      },
      currentTime,
    }),
    [post, moved, currentTime],
  );

  return (
    <iframe
      ref={frame}
      className="player-frame"
      src={src}
      title={title}
      onLoad={listen}
      allow="autoplay; fullscreen; picture-in-picture"
      allowFullScreen
      referrerPolicy="strict-origin-when-cross-origin"
    />
  );
}
