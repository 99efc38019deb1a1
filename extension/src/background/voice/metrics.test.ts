import { describe, expect, it } from 'vitest';

import { addMetrics, METRICS_INTERVAL_MS, NO_METRICS, takeMetrics } from './metrics';

const sample = (mean: number, max: number, frames: number, latencyMs = 50) => ({
  meanProbability: mean,
  maxProbability: max,
  frames,
  latencyMs,
});

describe('voice metrics', () => {
  it('sends the first aggregate at once', () => {
    const { report, state } = takeMetrics(addMetrics(NO_METRICS, sample(0.2, 0.9, 30)), 1_000);
    expect(report).toEqual(sample(0.2, 0.9, 30));
    expect(state.pending).toBeNull();
  });

  it('folds what arrives within a second into one report', () => {
    let state = takeMetrics(addMetrics(NO_METRICS, sample(0.5, 0.5, 10)), 0).state;
    state = addMetrics(state, sample(0.1, 0.4, 30, 40));
    state = addMetrics(state, sample(0.5, 0.95, 10, 80));
    const early = takeMetrics(state, 500);
    expect(early.report).toBeNull();
    expect(early.retryInMs).toBe(METRICS_INTERVAL_MS - 500);
    const due = takeMetrics(state, METRICS_INTERVAL_MS);
    expect(due.report?.frames).toBe(40);
    expect(due.report?.meanProbability).toBeCloseTo(0.2, 6);
    expect(due.report?.maxProbability).toBe(0.95);
    expect(due.report?.latencyMs).toBeCloseTo(50, 6);
  });

  it('never sends two reports less than a second apart', () => {
    let state = NO_METRICS;
    const sentAt: number[] = [];
    for (let now = 0; now < 5_000; now += 100) {
      state = addMetrics(state, sample(0.3, 0.6, 3));
      const taken = takeMetrics(state, now);
      state = taken.state;
      if (taken.report) sentAt.push(now);
    }
    for (let i = 1; i < sentAt.length; i += 1) {
      expect((sentAt[i] ?? 0) - (sentAt[i - 1] ?? 0)).toBeGreaterThanOrEqual(1_000);
    }
    expect(sentAt.length).toBeGreaterThanOrEqual(4);
  });

  it('keeps values within what the server accepts', () => {
    const { report } = takeMetrics(addMetrics(NO_METRICS, sample(1.4, Number.NaN, -3, 90_000)), 0);
    expect(report).toEqual({ meanProbability: 1, maxProbability: 0, frames: 0, latencyMs: 60_000 });
  });

  it('has nothing to send when nothing came', () => {
    expect(takeMetrics(NO_METRICS, 0)).toEqual({
      state: NO_METRICS,
      report: null,
      retryInMs: null,
    });
  });
});
