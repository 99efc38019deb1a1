// The VAD's measurements become at most one `reportVoiceMetrics` a second (PROTOCOL.md 5.2):
// whatever the capture sends in between is folded into one aggregate. Metrics are not
// sequenced and never replayed: an aggregate that cannot be sent is dropped. Pure.

/** `capture/metrics`, and the aggregate sent (`VoiceMetricsInput` without the session). */
export interface MetricsSample {
  meanProbability: number;
  maxProbability: number;
  frames: number;
  latencyMs: number;
}

/** A little over a second: the server counts from arrival, and arrivals jitter. */
export const METRICS_INTERVAL_MS = 1_100;

export interface MetricsState {
  pending: MetricsSample | null;
  lastSentAt: number | null;
}

export const NO_METRICS: MetricsState = { pending: null, lastSentAt: null };

const clamp = (value: number, low: number, high: number) =>
  Number.isFinite(value) ? Math.min(high, Math.max(low, value)) : low;

function cleaned(sample: MetricsSample): MetricsSample {
  return {
    meanProbability: clamp(sample.meanProbability, 0, 1),
    maxProbability: clamp(sample.maxProbability, 0, 1),
    frames: Math.round(clamp(sample.frames, 0, 2_147_483_647)),
    latencyMs: clamp(sample.latencyMs, 0, 60_000),
  };
}

/** Folds one sample in: frames add up, means are weighted by frames, the maximum is kept. */
export function addMetrics(state: MetricsState, sample: MetricsSample): MetricsState {
  const next = cleaned(sample);
  const before = state.pending;
  if (!before) return { ...state, pending: next };
  const frames = before.frames + next.frames;
  const weighted = (a: number, b: number) =>
    frames === 0 ? (a + b) / 2 : (a * before.frames + b * next.frames) / frames;
  return {
    ...state,
    pending: {
      meanProbability: weighted(before.meanProbability, next.meanProbability),
      maxProbability: Math.max(before.maxProbability, next.maxProbability),
      frames,
      latencyMs: weighted(before.latencyMs, next.latencyMs),
    },
  };
}

/** The aggregate to send at `now`, if one waits and a second has passed since the last;
 * otherwise when to look again (null: nothing waits). */
export function takeMetrics(
  state: MetricsState,
  now: number,
): { state: MetricsState; report: MetricsSample | null; retryInMs: number | null } {
  if (!state.pending) return { state, report: null, retryInMs: null };
  const wait = state.lastSentAt === null ? 0 : state.lastSentAt + METRICS_INTERVAL_MS - now;
  if (wait > 0) return { state, report: null, retryInMs: wait };
  return { state: { pending: null, lastSentAt: now }, report: state.pending, retryInMs: null };
}
