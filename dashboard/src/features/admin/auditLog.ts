// The audit log's filters (kept in the URL) and how its codes read.

import { pickChoice, withParam } from '@/lib/choices';

/** What the server records (`AuthKind` in api/src/auth/audit.rs), with readable names. */
export const KINDS = [
  ['login', 'Sign-in'],
  ['logout', 'Sign-out'],
  ['extension_token', 'Extension token'],
  ['refresh', 'Token refresh'],
  ['ws_join', 'Socket join'],
  ['http_token', 'HTTP token'],
  ['device_revoked', 'Device revoked'],
  ['origin_check', 'Origin check'],
  ['user_created', 'User created'],
] as const;

export const OUTCOMES = [
  ['success', 'Success'],
  ['denied', 'Denied'],
] as const;

const KIND_NAMES = new Map<string, string>(KINDS);

/** "Socket join" for `ws_join`; a kind the app does not know yet is shown as it is. */
export function kindName(kind: string): string {
  return KIND_NAMES.get(kind) ?? kind;
}

/** "bad signature" for `bad_signature`; `ok` says nothing and reads as a dash. */
export function reasonText(reason: string): string {
  return reason === 'ok' || reason === '' ? '—' : reason.replaceAll('_', ' ');
}

export interface AuditFilters {
  kind: string | null;
  outcome: string | null;
}

export function parseAuditFilters(params: URLSearchParams): AuditFilters {
  const kind = params.get('kind');
  const outcome = params.get('outcome');
  return {
    kind: pickChoice(KINDS, kind),
    outcome: pickChoice(OUTCOMES, outcome),
  };
}

/** `params` with one filter set, or removed when `value` is empty. */
export function withAuditFilter(
  params: URLSearchParams,
  name: keyof AuditFilters,
  value: string,
): URLSearchParams {
  return withParam(params, name, value);
}

/** The first 8 characters of a UUID: enough to tell rows apart, short enough for a table. */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}
