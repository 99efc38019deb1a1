// Following `noteEvents` without reloading (PROTOCOL.md section 6.1). Every event carries an
// `offset`, opaque and strictly increasing per user. A view keeps the last offset it applied
// and, whenever it subscribes again (its socket came back, a new worker), passes it as
// `since`: the server replays what came after it, then goes on live, nothing missed and
// nothing twice. A view that has applied no event yet has nothing to resume from, so it reads
// its list again as on a first visit.

/** The server's answer to a `since` it cannot resume from: older than its retention. */
export const EVENTS_EXPIRED = 'EVENTS_EXPIRED';

/**
 * Whether an error on a subscription made with `since` means "start again": the offset is
 * past the server's retention (`EVENTS_EXPIRED`), or not one of this user's (malformed,
 * another user's, ahead of the stream: `BAD_USER_INPUT`). The view then reads its list with
 * `notes(...)` and subscribes without `since`; it is an expected turn, not an error to show.
 */
export function refusesResume(code: unknown): boolean {
  return code === EVENTS_EXPIRED || code === 'BAD_USER_INPUT';
}
