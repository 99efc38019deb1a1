import { describe, expect, it } from 'vitest';

import { connectionView, needsFreshToken, OFFLINE_AFTER_MS } from './connection';

describe('connectionView', () => {
  it('says connecting before the first connection and reconnecting after', () => {
    expect(connectionView({ connected: false, downSince: 0, wasConnected: false }, 1_000)).toBe(
      'connecting',
    );
    expect(connectionView({ connected: false, downSince: 0, wasConnected: true }, 1_000)).toBe(
      'reconnecting',
    );
    expect(connectionView({ connected: true, downSince: null, wasConnected: true }, 1_000)).toBe(
      'connected',
    );
  });

  it('turns offline after 30 s without the server', () => {
    const facts = { connected: false, downSince: 10_000, wasConnected: true };
    expect(connectionView(facts, 10_000 + OFFLINE_AFTER_MS - 1)).toBe('reconnecting');
    expect(connectionView(facts, 10_000 + OFFLINE_AFTER_MS)).toBe('offline');
  });
});

describe('needsFreshToken', () => {
  it('refreshes on 4403 only', () => {
    expect(needsFreshToken(4403)).toBe(true);
    expect(needsFreshToken(1006)).toBe(false);
    expect(needsFreshToken(undefined)).toBe(false);
  });
});
