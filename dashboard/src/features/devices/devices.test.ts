import { describe, expect, it } from 'vitest';

import { revokeReasonText, splitDevices, withUpdates } from './devices';

describe('revokeReasonText', () => {
  it('puts known reasons in plain words and unknown ones readably', () => {
    expect(revokeReasonText('revoked_by_user')).toBe('revoked from the web app');
    expect(revokeReasonText('lost_laptop')).toBe('lost laptop');
    expect(revokeReasonText(null)).toBeNull();
    expect(revokeReasonText('')).toBeNull();
  });
});

describe('splitDevices and withUpdates', () => {
  const a = { id: 'a', revokedAt: null };
  const b = { id: 'b', revokedAt: '2026-12-01T00:00:00Z' };
  const c = { id: 'c', revokedAt: null };

  it('separates live and revoked devices, keeping the order', () => {
    expect(splitDevices([a, b, c])).toEqual({ live: [a, c], revoked: [b] });
  });

  it('moves a device revoked just now without waiting for the list to reload', () => {
    const revokedA = { id: 'a', revokedAt: '2026-12-10T00:00:00Z' };
    const list = withUpdates([a, b, c], new Map([['a', revokedA]]));
    expect(splitDevices(list)).toEqual({ live: [c], revoked: [revokedA, b] });
  });
});
