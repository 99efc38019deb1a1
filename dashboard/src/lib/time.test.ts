import { describe, expect, it } from 'vitest';

import { exactTime, relativeTime } from './time';

const now = Date.parse('2026-12-10T12:00:00Z');

describe('relativeTime', () => {
  it('says "just now" for the last few seconds', () => {
    expect(relativeTime('2026-12-10T11:59:30Z', now)).toBe('just now');
  });

  it('uses the largest unit that fits', () => {
    expect(relativeTime('2026-12-10T11:55:00Z', now)).toMatch(/5 minutes ago/);
    expect(relativeTime('2026-12-10T09:00:00Z', now)).toMatch(/3 hours ago/);
    expect(relativeTime('2026-12-09T12:00:00Z', now)).toMatch(/yesterday|1 day ago/);
    expect(relativeTime('2026-11-10T12:00:00Z', now)).toMatch(/last month|1 month ago/);
  });

  it('handles the future', () => {
    expect(relativeTime('2026-12-10T14:00:00Z', now)).toMatch(/in 2 hours/);
  });

  it('gives back what it cannot read', () => {
    expect(relativeTime('not a date', now)).toBe('not a date');
  });
});

describe('exactTime', () => {
  it('includes the year and the seconds', () => {
    const text = exactTime('2026-12-10T12:34:56Z');
    expect(text).toMatch(/2026/);
    expect(text).toMatch(/56/);
  });
});
