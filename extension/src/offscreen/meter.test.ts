import { describe, expect, it } from 'vitest';

import { Meter, meterLevel } from './meter';

const T0 = 1_700_000_000_000;

function tone(amplitude: number): Float32Array {
  // A square wave: its RMS is its amplitude.
  return Float32Array.from({ length: 512 }, (_, i) => (i % 2 ? amplitude : -amplitude));
}

describe('meterLevel', () => {
  it('reads in even steps of dB from −60 dBFS (0) to full scale (1)', () => {
    expect(meterLevel(0)).toBe(0);
    expect(meterLevel(0.0001)).toBe(0);
    expect(meterLevel(0.001)).toBeCloseTo(0, 6);
    expect(meterLevel(0.01)).toBeCloseTo(1 / 3, 6);
    expect(meterLevel(0.1)).toBeCloseTo(2 / 3, 6);
    expect(meterLevel(1)).toBe(1);
    expect(meterLevel(4)).toBe(1);
  });
});

describe('Meter', () => {
  it('reports metrics at most once a second, aggregated over the frames between', () => {
    const meter = new Meter();
    const reports = [];
    for (let i = 0; i < 100; i++) {
      const out = meter.frame(tone(0.1), i < 50 ? 0.2 : 0.8, 5, T0 + i * 32);
      if (out.metrics) reports.push({ at: i * 32, ...out.metrics });
    }
    // 100 frames of 32 ms: 3.2 s, three reports.
    expect(reports.map((report) => report.at)).toEqual([1024, 2048, 3072]);
    expect(reports[0]).toMatchObject({ frames: 33, latencyMs: 5 });
    expect(reports[0]?.meanProbability).toBeCloseTo(0.2, 6);
    expect(reports[1]?.maxProbability).toBeCloseTo(0.8, 6);
    expect(reports[1]?.frames).toBe(32);
  });

  it('reports the level about ten times a second, from the RMS since the last report', () => {
    const meter = new Meter();
    const levels: number[] = [];
    for (let i = 0; i < 32; i++) {
      const out = meter.frame(tone(i < 16 ? 0.01 : 0.1), 0, 0, T0 + i * 32);
      if (out.level !== undefined) levels.push(out.level);
    }
    // About a second of frames: one level every 4 frames (128 ms ≥ 100 ms).
    expect(levels.length).toBeGreaterThanOrEqual(7);
    expect(levels.length).toBeLessThanOrEqual(10);
    expect(levels[0]).toBeCloseTo(1 / 3, 6);
    expect(levels.at(-1)).toBeCloseTo(2 / 3, 6);
  });
});
