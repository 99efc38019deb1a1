import type { Ref } from 'react';

import type { VideoQuery } from '@/gql/graphql';
import { videoSiteName } from '@/lib/vocabulary';

import { ExternalPlayer } from './ExternalPlayer';
import type { PlayerHandle } from './handle';
import { MediaPlayer } from './MediaPlayer';
import { playerKind } from './playerKind';
import { VimeoPlayer } from './VimeoPlayer';
import { YouTubePlayer } from './YouTubePlayer';
import './player.css';

export type PlayerVideo = VideoQuery['video'];

/** The video's player, whichever kind fits it; `ref` gets its `seek` and `currentTime`. */
export function Player({ video, ref }: { video: PlayerVideo; ref: Ref<PlayerHandle> }) {
  const name = videoSiteName(video.platform, video.canonicalUrl);
  const title = `${name} player: ${video.title ?? video.canonicalUrl}`;
  let player;
  switch (playerKind(video)) {
    case 'youtube':
      player = <YouTubePlayer ref={ref} embedUrl={video.embedUrl} title={title} />;
      break;
    case 'vimeo':
      player = <VimeoPlayer ref={ref} embedUrl={video.embedUrl} title={title} />;
      break;
    case 'media':
      player = <MediaPlayer ref={ref} url={video.canonicalUrl} title={title} />;
      break;
    case 'external':
      player = (
        <ExternalPlayer ref={ref} videoId={video.id} url={video.canonicalUrl} platformName={name} />
      );
      break;
  }
  return (
    <section className="player" aria-label="Player">
      {player}
    </section>
  );
}
