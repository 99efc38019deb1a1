import { useMemo, type Ref } from 'react';

import type { PlayerHandle } from './handle';
import { parseVimeoMessage, vimeoCommand, type PlayerReport } from './messages';
import { PlayerFrame } from './PlayerFrame';
import { VIMEO_ORIGINS, vimeoEmbedUrl } from './playerKind';
import { useFramePlayer } from './useFramePlayer';

type VimeoMessage = ReturnType<typeof vimeoCommand>;

/** The events the page follows; the player sends them once asked with `addEventListener`. */
const EVENTS = ['timeupdate', 'play', 'pause', 'seeked'];

function listen(post: (message: VimeoMessage) => void) {
  for (const event of EVENTS) post(vimeoCommand('addEventListener', event));
}

const seekMessage = (seconds: number) => vimeoCommand('setCurrentTime', seconds);

/** The player announces `ready` when it can take listeners; asking again is harmless. */
function onReport(report: PlayerReport, post: (message: VimeoMessage) => void) {
  if (report.ready && report.currentTime === undefined && report.playing === undefined) {
    listen(post);
  }
}

export function VimeoPlayer({
  embedUrl,
  title,
  ref,
}: {
  embedUrl: string;
  title: string;
  ref: Ref<PlayerHandle>;
}) {
  const src = useMemo(() => vimeoEmbedUrl(embedUrl), [embedUrl]);
  const { frame, post } = useFramePlayer({
    ref,
    src,
    origins: VIMEO_ORIGINS,
    parse: parseVimeoMessage,
    seekMessage,
    onReport,
  });
  return (
    <PlayerFrame
      frame={frame}
      src={src}
      title={title}
      onLoad={() => listen(post)}
      allow="autoplay; fullscreen; picture-in-picture"
    />
  );
}
