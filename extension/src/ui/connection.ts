// What the panel says about the connection to the server. The worker reports `connecting`,
// `reconnecting` or `offline`; the panel also calls a connection that has been down for 30 s
// offline itself (FRONTEND.md / issue 11: "after 30 s without the server the UI shows
// offline, N waiting"), so the rule holds whichever side counts the time.

import type { ExtensionState } from '@/shared/messages';

export const OFFLINE_AFTER_MS = 30_000;

export type ConnectionView =
  | { kind: 'connected'; waiting: number }
  | { kind: 'connecting' }
  | { kind: 'reconnecting'; waiting: number }
  | { kind: 'offline'; waiting: number };

/**
 * @param downForMs how long the panel has seen the connection not `connected`
 */
export function connectionView(
  connection: ExtensionState['connection'],
  waiting: number,
  downForMs: number,
): ConnectionView {
  if (connection === 'connected') return { kind: 'connected', waiting };
  if (connection === 'offline') return { kind: 'offline', waiting };
  if (downForMs >= OFFLINE_AFTER_MS) return { kind: 'offline', waiting };
  if (connection === 'connecting') return { kind: 'connecting' };
  return { kind: 'reconnecting', waiting };
}

export function connectionLabel(view: ConnectionView): string {
  switch (view.kind) {
    case 'connected':
      return view.waiting > 0 ? `Connected, sending ${view.waiting}` : 'Connected';
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'offline':
      return `Offline, ${view.waiting} waiting`;
  }
}
