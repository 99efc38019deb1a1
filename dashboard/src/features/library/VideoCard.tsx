import { useState, type CSSProperties } from 'react';
import { CATEGORY_COLORS } from '@lossy/common/notes';
import { Link } from 'react-router';

import { RelativeTime } from '@/components/RelativeTime';
import type { LibraryVideosQuery } from '@/gql/graphql';
import { platformName } from '@/lib/vocabulary';

import { categoryChips, categoryName } from './filters';

export type LibraryVideo = LibraryVideosQuery['videos']['nodes'][number];

/** One video of the library: thumbnail, title, platform, last viewed, note counts. */
export function VideoCard({ video }: { video: LibraryVideo }) {
  const title = video.title?.trim() || video.canonicalUrl;
  const { totalCount, countsByCategory } = video.noteSummary;
  const chips = categoryChips(countsByCategory);
  return (
    <article className="card video-card">
      <Thumbnail url={video.thumbnailUrl} />
      <div className="video-card-body">
        <h2 className="video-card-title">
          {/* The whole card is clickable through this link's ::after; it is the one tab stop. */}
          <Link to={`/videos/${video.id}`} className="video-card-link">
            {title}
          </Link>
        </h2>
        <p className="video-card-meta">
          <span>{platformName(video.platform)}</span>
          <span aria-hidden="true"> · </span>
          <span>
            Viewed <RelativeTime iso={video.lastViewedAt} />
          </span>
          {video.status === 'ARCHIVED' && (
            <>
              <span aria-hidden="true"> · </span>
              <span className="video-card-archived">Archived</span>
            </>
          )}
        </p>
        <p className="video-card-notes">
          {totalCount === 0 ? 'No notes yet' : totalCount === 1 ? '1 note' : `${totalCount} notes`}
        </p>
        {chips.length > 0 && (
          <ul className="category-chips" aria-label="Notes by category">
            {chips.map(({ category, count }) => (
              <li
                key={category}
                className="category-chip"
                style={{ '--chip-color': CATEGORY_COLORS[category] } as CSSProperties}
              >
                {categoryName(category)} {count}
              </li>
            ))}
          </ul>
        )}
      </div>
    </article>
  );
}

function Thumbnail({ url }: { url: string | null }) {
  // A thumbnail that fails to load (expired, blocked) gets the same placeholder as none.
  const [failed, setFailed] = useState(false);
  if (!url || failed) {
    return (
      <div className="video-thumb video-thumb-placeholder" aria-hidden="true">
        <svg viewBox="0 0 24 24" width="32" height="32" focusable="false">
          <path d="M8 5v14l11-7z" fill="currentColor" />
        </svg>
      </div>
    );
  }
  return (
    <img
      className="video-thumb"
      src={url}
      alt=""
      loading="lazy"
      referrerPolicy="no-referrer"
      onError={() => setFailed(true)}
    />
  );
}
