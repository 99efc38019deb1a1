import type { CombinedError } from '@urql/core';

import { serverError } from '@/lib/graphql/errors';

/**
 * The end of a list read page by page: "Load more" while there are more, and when the last
 * page failed, why, with a button that tries again (the pages already shown stay).
 */
export function LoadMore({
  what,
  hasNextPage,
  loadingMore,
  error,
  onLoadMore,
}: {
  /** What the list holds, for the error: "videos", "events". */
  what: string;
  hasNextPage: boolean;
  loadingMore: boolean;
  error: CombinedError | null;
  onLoadMore: () => void;
}) {
  if (!hasNextPage && !error) return null;
  return (
    <div className="load-more">
      {error && (
        <p className="notice notice-error" role="alert">
          More {what} could not be loaded: {serverError(error).message}
        </p>
      )}
      <button type="button" className="button" onClick={onLoadMore} disabled={loadingMore}>
        {loadingMore ? 'Loading…' : error ? 'Try again' : 'Load more'}
      </button>
    </div>
  );
}
