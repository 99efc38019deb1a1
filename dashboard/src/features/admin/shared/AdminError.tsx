import type { CombinedError } from '@urql/core';
import { ErrorState } from '@lossy/common/ui';

import { hasCode } from '@/lib/graphql/errors';

import { errorText } from './format';

/**
 * Why an admin page's data did not load, in the server's words and code. A refusal
 * (FORBIDDEN) says so plainly, with no retry: trying again cannot help.
 */
export function AdminError({
  what,
  error,
  onRetry,
}: {
  /** What failed to load, e.g. "the live sessions". */
  what: string;
  error: CombinedError;
  onRetry?: () => void;
}) {
  if (hasCode(error, 'FORBIDDEN')) {
    return (
      <ErrorState
        title="Admins only"
        message={`The server refused to show ${what}: ${errorText(error)}. Your account may no longer be an admin; sign in again to check.`}
      />
    );
  }
  return (
    <ErrorState
      title={`${what[0]?.toUpperCase() ?? ''}${what.slice(1)} could not be loaded`}
      message={errorText(error)}
      onRetry={onRetry}
    />
  );
}
