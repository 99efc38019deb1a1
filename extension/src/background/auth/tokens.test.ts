import { describe, expect, it } from 'vitest';

import { classifyTokenAnswer, refreshDue, refreshExpired, type TokenSet } from './tokens';

const pair: TokenSet = {
  token: 'jwt',
  expiresAt: '2026-12-01T12:15:00Z',
  refreshToken: 'opaque',
  refreshExpiresAt: '2026-12-31T12:00:00Z',
};

describe('refreshDue', () => {
  it('is due when fewer than five minutes remain, not before', () => {
    expect(refreshDue(pair, Date.parse('2026-12-01T12:09:59Z'))).toBe(false);
    expect(refreshDue(pair, Date.parse('2026-12-01T12:10:00Z'))).toBe(true);
    expect(refreshDue(pair, Date.parse('2026-12-01T12:20:00Z'))).toBe(true);
  });

  it('knows when the refresh token itself has expired', () => {
    expect(refreshExpired(pair, Date.parse('2026-12-30T00:00:00Z'))).toBe(false);
    expect(refreshExpired(pair, Date.parse('2026-12-31T12:00:00Z'))).toBe(true);
  });
});

describe('classifyTokenAnswer', () => {
  const err = (code: string, message = 'm') => ({ error: { code, message } });

  it('reads a token pair', () => {
    expect(classifyTokenAnswer('refresh', 200, { ...pair, protocolVersion: 2 })).toEqual({
      kind: 'tokens',
      tokens: pair,
    });
  });

  it('treats a 200 without tokens as something to retry, not as a sign-in', () => {
    expect(classifyTokenAnswer('refresh', 200, { token: 'x' }).kind).toBe('retry');
  });

  it('tells a revoked device from an expired refresh token', () => {
    expect(classifyTokenAnswer('refresh', 403, err('DEVICE_REVOKED')).kind).toBe('revoked');
    expect(classifyTokenAnswer('extension_token', 403, err('DEVICE_REVOKED')).kind).toBe('revoked');
    expect(classifyTokenAnswer('refresh', 401, err('UNAUTHENTICATED')).kind).toBe('refused');
  });

  it('reads 401 on extension_token as a missing web session', () => {
    expect(classifyTokenAnswer('extension_token', 401, err('UNAUTHENTICATED', 'sign in'))).toEqual({
      kind: 'no-session',
      message: 'sign in',
    });
  });

  it('shows an origin refusal, and retries network failures, 5xx and 429', () => {
    expect(classifyTokenAnswer('extension_token', 403, err('FORBIDDEN')).kind).toBe('forbidden');
    expect(classifyTokenAnswer('refresh', 0, null).kind).toBe('retry');
    expect(classifyTokenAnswer('refresh', 503, 'Service Unavailable').kind).toBe('retry');
    expect(classifyTokenAnswer('refresh', 429, err('RATE_LIMITED')).kind).toBe('retry');
  });
});
