import { describe, expect, it } from 'vitest';

import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('grows exponentially up to the cap', () => {
    const almostOne = 0.999999;
    expect(backoffDelay(0, almostOne)).toBe(BACKOFF_BASE_MS - 1);
    expect(backoffDelay(3, almostOne)).toBe(BACKOFF_BASE_MS * 8 - 1);
    expect(backoffDelay(10, almostOne)).toBe(BACKOFF_CAP_MS - 1);
    expect(backoffDelay(5000, almostOne)).toBe(BACKOFF_CAP_MS - 1);
  });

  it('is fully jittered: anywhere from zero to the ceiling', () => {
    expect(backoffDelay(4, 0)).toBe(0);
    expect(backoffDelay(4, 0.5)).toBe(BACKOFF_BASE_MS * 8);
    for (let i = 0; i < 100; i += 1) {
      const delay = backoffDelay(20);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(BACKOFF_CAP_MS);
    }
  });
});
