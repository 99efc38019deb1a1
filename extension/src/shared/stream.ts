// Streams that resume where they left off (`noteEvents`, PROTOCOL.md section 6.1): each event
// carries an `offset`, and a stream sent again with `since` set to the last one applied
// replays what followed it. Whoever sends the stream again (the worker's socket when it comes
// back, the panel's client on a new worker) reads and sets these through the helpers here.

import type { GraphqlOperation, GraphqlResult } from './messages';

/** The `offset` of a stream's event (its one root field); null when it carries none. */
export function offsetOf(result: GraphqlResult): string | null {
  const data = result.data;
  if (!data) return null;
  for (const value of Object.values(data)) {
    const offset = (value as { offset?: unknown } | null)?.offset;
    if (typeof offset === 'string') return offset;
  }
  return null;
}

/** `operation` sent again after `offset` (its `since`); as it is without an offset. */
export function resumedAfter(operation: GraphqlOperation, offset: string | null): GraphqlOperation {
  if (offset === null) return operation;
  return { ...operation, variables: { ...operation.variables, since: offset } };
}

/** The offset an operation resumes after; null when it starts from now. */
export function sinceOf(operation: GraphqlOperation): string | null {
  const since = operation.variables?.since;
  return typeof since === 'string' ? since : null;
}

/** The code of an operation's first GraphQL error (`extensions.code`). */
export function errorCode(errors: GraphqlResult['errors']): unknown {
  return errors?.[0]?.extensions?.code;
}
