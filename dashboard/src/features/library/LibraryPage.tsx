import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '@lossy/common/ui';

import { FilterSelect } from '@/components/FilterSelect';
import { LoadMore } from '@/components/LoadMore';
import type { LibraryVideosQuery, LibraryVideosQueryVariables } from '@/gql/graphql';
import { usePagedQuery } from '@/hooks/usePagedQuery';
import { serverError } from '@/lib/graphql/errors';
import { PLATFORMS } from '@/lib/vocabulary';

import { LibraryVideosDocument } from './api';
import {
  hasFilters,
  parseFilters,
  STATUSES,
  withFilter,
  withoutFilters,
  type LibraryFilters,
} from './filters';
import { VideoCard } from './VideoCard';
import './library.css';

// "Load more" rather than next/previous pages: the API's cursors only go forward, and in a
// library sorted by last view people scan down for a video; appending keeps what they have
// already seen on screen (and the cards stay where they were for keyboard and screen-reader
// users, with focus moved to the first new card).
const PAGE_SIZE = 24;
const SEARCH_DELAY_MS = 300;

const videosOf = (data: LibraryVideosQuery) => data.videos;

export function LibraryPage() {
  const [params, setParams] = useSearchParams();
  const filters = parseFilters(params);
  const clearFilters = useCallback(() => {
    setParams((current) => withoutFilters(current), { replace: true });
  }, [setParams]);

  return (
    <>
      <h1>Library</h1>
      <LibraryToolbar filters={filters} />
      <LibraryResults filters={filters} onClearFilters={clearFilters} />
    </>
  );
}

function LibraryToolbar({ filters }: { filters: LibraryFilters }) {
  const [, setParams] = useSearchParams();
  const setFilter = useCallback(
    (name: keyof LibraryFilters, value: string) => {
      setParams((current) => withFilter(current, name, value), { replace: true });
    },
    [setParams],
  );

  // What is typed shows at once; the URL (and so the query) follows once typing pauses.
  const [text, setText] = useState(filters.q);
  const [shownQ, setShownQ] = useState(filters.q);
  if (shownQ !== filters.q) {
    // The URL changed: our own debounce, "Clear filters", or back/forward navigation.
    setShownQ(filters.q);
    if (text.trim() !== filters.q) setText(filters.q);
  }
  useEffect(() => {
    if (text.trim() === filters.q) return;
    const timer = setTimeout(() => setFilter('q', text), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, filters.q, setFilter]);

  return (
    <form
      role="search"
      className="library-toolbar"
      aria-label="Filter videos"
      onSubmit={(event) => {
        // Enter searches at once instead of waiting for the pause.
        event.preventDefault();
        setFilter('q', text);
      }}
    >
      <label className="field field-search">
        <span>Search</span>
        <input
          type="search"
          name="q"
          value={text}
          // The server's limit for a search.
          maxLength={200}
          placeholder="Title or address"
          onChange={(event) => setText(event.target.value)}
        />
      </label>
      <FilterSelect
        className="field field-select"
        label="Platform"
        all="All platforms"
        name="platform"
        value={filters.platform}
        choices={PLATFORMS}
        onChange={(value) => setFilter('platform', value)}
      />
      <FilterSelect
        className="field field-select"
        label="Status"
        all="Active and archived"
        name="status"
        value={filters.status}
        choices={STATUSES}
        onChange={(value) => setFilter('status', value)}
      />
    </form>
  );
}

function LibraryResults({
  filters,
  onClearFilters,
}: {
  filters: LibraryFilters;
  onClearFilters: () => void;
}) {
  const variables = useMemo<LibraryVideosQueryVariables>(
    () => ({
      first: PAGE_SIZE,
      platform: filters.platform,
      status: filters.status,
      search: filters.q === '' ? null : filters.q,
    }),
    [filters.platform, filters.status, filters.q],
  );
  const videos = usePagedQuery({
    query: LibraryVideosDocument,
    variables,
    connection: videosOf,
  });

  // After "Load more", focus moves to the first new card, so keyboard users continue there.
  const listRef = useRef<HTMLUListElement>(null);
  const focusFrom = useRef<number | null>(null);
  useEffect(() => {
    const from = focusFrom.current;
    if (from === null || videos.nodes.length <= from) return;
    focusFrom.current = null;
    listRef.current?.querySelectorAll<HTMLAnchorElement>('.video-card-link')[from]?.focus();
  }, [videos.nodes.length]);
  const loadMore = () => {
    focusFrom.current = videos.nodes.length;
    videos.loadMore();
  };
  const countId = useId();

  if (videos.loading) return <LoadingState label="Loading your videos" />;
  if (videos.error) {
    return (
      <ErrorState
        title="Your videos could not be loaded"
        message={serverError(videos.error).message}
        onRetry={videos.retry}
      />
    );
  }
  if (videos.nodes.length === 0) {
    if (hasFilters(filters)) {
      return (
        <EmptyState title="No videos match">
          <p>No video matches this search and these filters.</p>
          <button type="button" className="button" onClick={onClearFilters}>
            Clear filters
          </button>
        </EmptyState>
      );
    }
    return (
      <EmptyState title="No videos yet">
        <p>
          No videos yet: open a video with the Lossy extension, or submit a transcript from{' '}
          <a href="/graphiql">GraphiQL</a>.
        </p>
      </EmptyState>
    );
  }

  const count = videos.nodes.length;
  return (
    <>
      <p className="hint library-count" role="status" id={countId}>
        {count === 1 ? '1 video' : `${count} videos`}
        {videos.hasNextPage ? ' shown; more to load' : ''}
      </p>
      <ul className="video-grid" ref={listRef} aria-describedby={countId}>
        {videos.nodes.map((video) => (
          <li key={video.id}>
            <VideoCard video={video} />
          </li>
        ))}
      </ul>
      <LoadMore
        what="videos"
        hasNextPage={videos.hasNextPage}
        loadingMore={videos.loadingMore}
        error={videos.moreError}
        onLoadMore={loadMore}
      />
    </>
  );
}
