import { describe, expect, it } from 'vitest';

import { CHARTS, shapeChart, type Point } from './chartData';

const none = { count: 0, p50Ms: null, p95Ms: null, p99Ms: null };

function point(at: string, patch: Partial<Point> = {}): Point {
  return {
    at,
    noteDelivery: none,
    voiceEvent: none,
    notesCreated: 0,
    notesSuppressed: 0,
    voiceEvents: 0,
    errors: 0,
    resets: 0,
    disconnects: 0,
    reconnects: 0,
    activeSessions: 0,
    activeUsers: 0,
    telemetryAccepted: 0,
    telemetryDuplicates: 0,
    telemetryDropped: 0,
    ...patch,
  };
}

const chart = (id: string) => {
  const spec = CHARTS.find((c) => c.id === id);
  if (!spec) throw new Error(id);
  return spec;
};

describe('shapeChart', () => {
  it('puts seconds on x and one column per series, null where a percentile has no sample', () => {
    const points = [
      point('2026-12-01T10:00:00Z', {
        noteDelivery: { count: 3, p50Ms: 100, p95Ms: 300, p99Ms: 310 },
      }),
      point('2026-12-01T10:01:00Z'),
    ];
    const shaped = shapeChart(points, chart('delivery'));
    expect(shaped.data).toEqual([
      [1796119200, 1796119260],
      [100, null],
      [300, null],
      [310, null],
    ]);
    expect(shaped.hasData).toBe(true);
  });

  it('has no data when every bucket is empty or zero', () => {
    const points = [point('2026-12-01T10:00:00Z'), point('2026-12-01T10:01:00Z')];
    for (const spec of CHARTS) expect(shapeChart(points, spec).hasData).toBe(false);
    expect(shapeChart([], chart('notes')).hasData).toBe(false);
  });

  it('draws every series of the analytics point somewhere', () => {
    const labels = CHARTS.flatMap((c) => c.series.map((s) => s.label));
    expect(labels).toEqual(
      expect.arrayContaining([
        'Delivery p99',
        'Voice event p50',
        'Created',
        'Suppressed',
        'Voice events',
        'Errors',
        'Resets',
        'Disconnects',
        'Reconnects',
        'Sessions',
        'Users',
        'Accepted',
        'Duplicates',
        'Dropped',
      ]),
    );
  });
});

describe('summaries', () => {
  it('say the whole range in words', () => {
    const total = point('2026-12-01T10:00:00Z', {
      notesCreated: 40,
      notesSuppressed: 5,
      noteDelivery: { count: 40, p50Ms: 110, p95Ms: 480, p99Ms: 900 },
    });
    expect(chart('notes').summary(total)).toBe('Totals: created 40, suppressed 5.');
    expect(chart('delivery').summary(total)).toBe(
      'Whole range: p50 110 ms, p95 480 ms, p99 900 ms over 40 notes delivered.',
    );
    expect(chart('voice-latency').summary(total)).toBe('No voice events answered in this range.');
  });
});
