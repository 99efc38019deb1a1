import { describe, expect, it } from 'vitest';

import {
  bucketOptions,
  effectiveBucket,
  parseRangeChoice,
  pointCount,
  rangeChoiceParams,
  rangeProblem,
  resolveRange,
} from './range';

const NOW = Date.parse('2026-12-01T10:15:30Z');

describe('range choice in the address', () => {
  it('reads presets and custom ranges, and writes them back', () => {
    expect(parseRangeChoice(new URLSearchParams(''))).toEqual({
      kind: 'preset',
      preset: 'day',
      bucket: null,
    });
    const custom = parseRangeChoice(
      new URLSearchParams(
        'range=custom&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z&bucket=HOUR',
      ),
    );
    expect(custom).toEqual({
      kind: 'custom',
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-02T00:00:00.000Z',
      bucket: 'HOUR',
    });
    expect(parseRangeChoice(rangeChoiceParams(custom))).toEqual(custom);
    // Nonsense falls back to the default.
    expect(parseRangeChoice(new URLSearchParams('range=custom&from=x&bucket=WEEK'))).toEqual({
      kind: 'preset',
      preset: 'day',
      bucket: null,
    });
  });
});

describe('resolveRange', () => {
  it('ends a preset at the next whole minute', () => {
    expect(resolveRange({ kind: 'preset', preset: 'hour', bucket: null }, NOW)).toEqual({
      from: '2026-12-01T09:16:00.000Z',
      to: '2026-12-01T10:16:00.000Z',
    });
  });
});

describe('buckets', () => {
  it('counts the buckets a range touches', () => {
    const hour = resolveRange({ kind: 'preset', preset: 'hour', bucket: null }, NOW);
    expect(pointCount(hour, 60_000)).toBe(60);
    expect(pointCount({ from: '2026-12-01T10:00:30Z', to: '2026-12-01T10:02:10Z' }, 60_000)).toBe(
      3,
    );
  });

  it('disables buckets that would pass 1,500 points', () => {
    const month = resolveRange({ kind: 'preset', preset: 'month', bucket: null }, NOW);
    expect(bucketOptions(month).map((o) => [o.value, o.allowed])).toEqual([
      ['MINUTE', false],
      ['HOUR', true],
      ['DAY', true],
    ]);
    // A refused choice is replaced; a readable default is picked when none is chosen.
    expect(effectiveBucket(month, 'MINUTE')).toBe('DAY');
    expect(effectiveBucket(month, 'HOUR')).toBe('HOUR');
    const day = resolveRange({ kind: 'preset', preset: 'day', bucket: null }, NOW);
    expect(effectiveBucket(day, null)).toBe('HOUR');
    expect(effectiveBucket(day, 'MINUTE')).toBe('MINUTE');
  });

  it('explains a custom range the server would refuse', () => {
    expect(rangeProblem({ from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' })).toBe(
      'The start must be before the end.',
    );
    expect(rangeProblem({ from: '2016-01-01T00:00:00Z', to: '2026-12-01T00:00:00Z' })).toMatch(
      /400 days/,
    );
    expect(rangeProblem({ from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' })).toBeNull();
  });
});
