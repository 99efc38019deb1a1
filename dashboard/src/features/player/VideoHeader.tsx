import { formatMediaTime } from '@lossy/common/media-time';
import { videoSiteName } from '@/lib/vocabulary';

import type { PlayerVideo } from './Player';

/** The page's heading: what the video is, where it lives, how long it is, how many notes. */
export function VideoHeader({
  video,
  noteCount,
}: {
  video: PlayerVideo;
  /** The notes a list shows by default; null while unknown. */
  noteCount: number | null;
}) {
  const name = videoSiteName(video.platform, video.canonicalUrl);
  return (
    <header className="video-header">
      <h1 className="video-title">{video.title ?? video.canonicalUrl}</h1>
      <ul className="video-facts" aria-label="About this video">
        <li>{name}</li>
        {video.durationSeconds !== null && (
          <li>
            <span className="visually-hidden">Duration </span>
            <time dateTime={`PT${Math.round(video.durationSeconds)}S`}>
              {formatMediaTime(video.durationSeconds)}
            </time>
          </li>
        )}
        {noteCount !== null && (
          <li data-testid="note-count">
            {noteCount === 1 ? '1 note' : `${noteCount.toLocaleString()} notes`}
          </li>
        )}
        <li>
          <a href={video.canonicalUrl} target="_blank" rel="noopener noreferrer">
            Open on {name}
            <span className="visually-hidden"> (opens in a new tab)</span>
          </a>
        </li>
      </ul>
    </header>
  );
}
