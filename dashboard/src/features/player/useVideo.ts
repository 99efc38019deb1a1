import { useQuery } from 'urql';

import { serverError, type ServerError } from '@/lib/graphql/errors';

import { VideoDocument } from './api';
import type { PlayerVideo } from './Player';

export type VideoState =
  | { kind: 'loading' }
  | { kind: 'ready'; video: PlayerVideo }
  | { kind: 'not-found' }
  | { kind: 'failed'; error: ServerError; retry: () => void };

/** One of the reader's videos, with the named states the page shows around it. */
export function useVideo(id: string): VideoState {
  const [result, reexecute] = useQuery({ query: VideoDocument, variables: { id } });
  if (result.data) return { kind: 'ready', video: result.data.video };
  if (result.error) {
    const error = serverError(result.error);
    // An id that is not a UUID is refused as input; to the reader it is just not there.
    if (error.code === 'NOT_FOUND' || (error.code === 'BAD_USER_INPUT' && error.field === 'id')) {
      return { kind: 'not-found' };
    }
    return {
      kind: 'failed',
      error,
      retry: () => {
        reexecute({ requestPolicy: 'network-only' });
      },
    };
  }
  return { kind: 'loading' };
}
