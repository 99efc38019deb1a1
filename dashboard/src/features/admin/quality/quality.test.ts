import { describe, expect, it } from 'vitest';

import { decisionTotals, formatDelta, groupThresholds, orderDecisions } from './quality';

describe('decisions', () => {
  it('orders kept first, then by count, and totals each decision', () => {
    const rows = [
      { decision: 'SUPPRESSED' as const, reason: 'duplicate', category: 'AUDIO', count: 3 },
      { decision: 'KEPT' as const, reason: 'ok', category: 'AUDIO', count: 5 },
      { decision: 'SUPPRESSED' as const, reason: 'low_confidence', category: 'PACING', count: 9 },
    ];
    expect(orderDecisions(rows).map((r) => r.count)).toEqual([5, 9, 3]);
    expect(decisionTotals(rows)).toEqual({ kept: 5, suppressed: 12 });
  });
});

describe('groupThresholds', () => {
  it('groups by user and platform in first-seen order', () => {
    const row = (id: string, userId: string, platform: string) => ({
      id,
      userId,
      platform,
      user: { email: `${userId}@x.test` },
    });
    const groups = groupThresholds([
      row('a', 'u1', 'youtube'),
      row('b', 'u2', 'youtube'),
      row('c', 'u1', 'youtube'),
      row('d', 'u1', 'vimeo'),
    ]);
    expect(groups.map((g) => [g.email, g.platform, g.rows.map((r) => r.id)])).toEqual([
      ['u1@x.test', 'youtube', ['a', 'c']],
      ['u2@x.test', 'youtube', ['b']],
      ['u1@x.test', 'vimeo', ['d']],
    ]);
  });

  it('signs deltas', () => {
    expect(formatDelta(0.05)).toBe('+0.05');
    expect(formatDelta(0)).toBe('0');
  });
});
