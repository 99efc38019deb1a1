// The health page's arithmetic: the last hour's window, the error rate, state names.

import type { VoiceState } from '@/gql/graphql';

const MINUTE_MS = 60_000;

/** The last hour ending at the current minute's end (whole minutes: the buckets' edges), so
 * the window only moves once a minute and the query is not sent again on every render. */
export function lastHour(now: number): { from: string; to: string } {
  const end = Math.ceil(now / MINUTE_MS) * MINUTE_MS;
  return {
    from: new Date(end - 60 * MINUTE_MS).toISOString(),
    to: new Date(end).toISOString(),
  };
}

/** Errors per voice event handled; null when nothing was handled (no rate to speak of). */
export function errorRate(total: { errors: number; voiceEvents: number }): number | null {
  return total.voiceEvents > 0 ? total.errors / total.voiceEvents : null;
}

const STATE_NAMES: Record<VoiceState, string> = {
  IDLE: 'Idle',
  OBSERVING: 'Observing',
  RECORDING: 'Recording',
  COOLDOWN: 'Cooldown',
  ERROR: 'Error',
  DISCONNECTED: 'Disconnected',
  RECONNECTING: 'Reconnecting',
  CLOSED: 'Closed',
};

export function stateName(state: VoiceState): string {
  return STATE_NAMES[state];
}

/** The newest of two answers about the live sessions, by their `at` (a subscription's push
 * and a query's answer can arrive in either order). */
export function newest<T extends { at: string }>(
  a: T | undefined,
  b: T | undefined,
): T | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b.at) > Date.parse(a.at) ? b : a;
}
