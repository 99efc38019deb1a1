// Pure rules of the token pair (PROTOCOL.md section 2): when to refresh and what an answer of
// /api/auth/extension_token or /api/auth/refresh means. The IO lives in session.ts.

export interface TokenSet {
  token: string;
  /** RFC 3339, as the server sends it. */
  expiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
}

/** Refresh when fewer than this remain (PROTOCOL.md section 2). */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/** When the access token should be refreshed, in epoch milliseconds. */
export function refreshAt(tokens: TokenSet): number {
  return Date.parse(tokens.expiresAt) - REFRESH_MARGIN_MS;
}

export function refreshDue(tokens: TokenSet, now: number): boolean {
  return now >= refreshAt(tokens);
}

/** A refresh token past its expiry cannot be spent: the user must sign in again. */
export function refreshExpired(tokens: TokenSet, now: number): boolean {
  return now >= Date.parse(tokens.refreshExpiresAt);
}

export type TokenAnswer =
  | { kind: 'tokens'; tokens: TokenSet }
  /** extension_token without a web session: the user signs in on the web app first. */
  | { kind: 'no-session'; message: string }
  /** The device was revoked (DEVICE_REVOKED); a new sign-in registers a new device. */
  | { kind: 'revoked'; message: string }
  /** The refresh token is expired, unknown or spent: sign in again. */
  | { kind: 'refused'; message: string }
  /** Refused for a reason the user or an operator must fix (origin not allowed, bad input). */
  | { kind: 'forbidden'; message: string }
  /** Server down, overloaded or rate limiting: keep what we have and try again later. */
  | { kind: 'retry'; message: string };

interface ErrorBody {
  error?: { code?: unknown; message?: unknown };
}

function errorOf(body: unknown): { code: string; message: string } {
  const error = (body as ErrorBody | null)?.error;
  return {
    code: typeof error?.code === 'string' ? error.code : '',
    message: typeof error?.message === 'string' ? error.message : '',
  };
}

export function parseTokens(body: unknown): TokenSet | null {
  if (typeof body !== 'object' || body === null) return null;
  const { token, expiresAt, refreshToken, refreshExpiresAt } = body as Record<string, unknown>;
  if (
    typeof token !== 'string' ||
    typeof expiresAt !== 'string' ||
    typeof refreshToken !== 'string' ||
    typeof refreshExpiresAt !== 'string' ||
    Number.isNaN(Date.parse(expiresAt)) ||
    Number.isNaN(Date.parse(refreshExpiresAt))
  ) {
    return null;
  }
  return { token, expiresAt, refreshToken, refreshExpiresAt };
}

/**
 * What an answer means. `status` 0 stands for a network failure (fetch threw). The codes are
 * the server's (api/src/auth/http.rs, api/src/auth/devices.rs): `DEVICE_REVOKED` (403) for a
 * revoked device or a reused refresh token, `UNAUTHENTICATED` (401) for a missing web session
 * or an expired/unknown refresh token, `FORBIDDEN` (403) for an origin not allowed.
 */
export function classifyTokenAnswer(
  endpoint: 'extension_token' | 'refresh',
  status: number,
  body: unknown,
): TokenAnswer {
  if (status >= 200 && status < 300) {
    const tokens = parseTokens(body);
    return tokens
      ? { kind: 'tokens', tokens }
      : { kind: 'retry', message: 'the server answered without a token' };
  }
  const { code, message } = errorOf(body);
  if (code === 'DEVICE_REVOKED') {
    return { kind: 'revoked', message: message || 'this device was revoked' };
  }
  if (status === 401) {
    return endpoint === 'extension_token'
      ? { kind: 'no-session', message: message || 'sign in to Lossy first' }
      : { kind: 'refused', message: message || 'the sign-in has expired' };
  }
  if (status === 403 || status === 400) {
    return { kind: 'forbidden', message: message || `refused (${status})` };
  }
  if (status === 0) return { kind: 'retry', message: 'the server cannot be reached' };
  return { kind: 'retry', message: message || `the server answered ${status}` };
}
