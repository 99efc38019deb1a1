// Reconnect delays: capped exponential backoff with full jitter (a uniformly random wait
// between zero and the capped exponential), so many extensions do not reconnect in step after
// a server restart.

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 30_000;

/** The delay before retry number `attempt` (0 for the first retry). `random` is in [0, 1). */
export function backoffDelay(
  attempt: number,
  random: number = Math.random(),
  base = BACKOFF_BASE_MS,
  cap = BACKOFF_CAP_MS,
): number {
  // 2 ** attempt overflows to Infinity for large attempts; Math.min keeps the cap.
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt));
  return Math.floor(random * ceiling);
}
