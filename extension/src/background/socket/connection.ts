// What the panels see of the socket: a pure function of when it was last up.

import type { ExtensionState } from '@/shared/messages';

/** Without the server for this long the panels say "offline, N waiting". */
export const OFFLINE_AFTER_MS = 30_000;

export interface SocketFacts {
  connected: boolean;
  /** When the socket went down (or the first attempt began); null while connected. */
  downSince: number | null;
  /** Whether this worker has ever been connected since it started. */
  wasConnected: boolean;
}

export function connectionView(facts: SocketFacts, now: number): ExtensionState['connection'] {
  if (facts.connected) return 'connected';
  if (facts.downSince !== null && now - facts.downSince >= OFFLINE_AFTER_MS) return 'offline';
  return facts.wasConnected ? 'reconnecting' : 'connecting';
}

/** True for the close codes after which the token must be refreshed (PROTOCOL.md section 3). */
export function needsFreshToken(closeCode: number | undefined): boolean {
  return closeCode === 4403;
}
