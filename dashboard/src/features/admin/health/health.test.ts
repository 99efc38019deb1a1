import { describe, expect, it } from 'vitest';

import { errorRate, lastHour, newest, stateName } from './health';

describe('lastHour', () => {
  it('ends at the next whole minute and spans sixty minutes', () => {
    const now = Date.parse('2026-12-01T10:15:30Z');
    expect(lastHour(now)).toEqual({
      from: '2026-12-01T09:16:00.000Z',
      to: '2026-12-01T10:16:00.000Z',
    });
    // The same minute gives the same window (the query's variables stay equal).
    expect(lastHour(now + 20_000)).toEqual(lastHour(now));
  });
});

describe('errorRate', () => {
  it('divides errors by voice events, and has no rate without events', () => {
    expect(errorRate({ errors: 2, voiceEvents: 40 })).toBe(0.05);
    expect(errorRate({ errors: 0, voiceEvents: 0 })).toBeNull();
  });
});

describe('newest', () => {
  it('keeps the later answer whichever arrives first', () => {
    const older = { at: '2026-12-01T10:00:00Z', n: 1 };
    const newer = { at: '2026-12-01T10:00:01Z', n: 2 };
    expect(newest(older, newer)).toBe(newer);
    expect(newest(newer, older)).toBe(newer);
    expect(newest(undefined, older)).toBe(older);
  });

  it('names states', () => {
    expect(stateName('RECONNECTING')).toBe('Reconnecting');
  });
});
