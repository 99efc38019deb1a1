// The VAD's numbers for the worker: an aggregate of speech probabilities at most once a second
// (the server's `reportVoiceMetrics`), and the input level about ten times a second (the side
// panel's meter).

export interface VoiceMetrics {
  meanProbability: number;
  maxProbability: number;
  frames: number;
  /** Mean time from a frame's last sample to the VAD's score for it. */
  latencyMs: number;
}

export interface MeterOutput {
  metrics?: VoiceMetrics;
  level?: number;
}

export const METRICS_EVERY_MS = 1000;
export const LEVEL_EVERY_MS = 100;
/** The meter's floor: quieter than this reads as zero. */
const FLOOR_DB = -60;

/** RMS as a meter reads it: 0 at −60 dBFS or quieter, 1 at full scale, even steps in dB
 * between (a raw RMS would sit near zero for speech, which rarely passes 0.2). */
export function meterLevel(rms: number): number {
  if (!(rms > 0)) return 0;
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (db - FLOOR_DB) / -FLOOR_DB));
}

export class Meter {
  private sum = 0;
  private max = 0;
  private frames = 0;
  private latency = 0;
  private metricsSince: number | null = null;
  private squares = 0;
  private samples = 0;
  private levelSince: number | null = null;

  /** One scored frame, at `at` (epoch ms). */
  frame(samples: Float32Array, probability: number, latencyMs: number, at: number): MeterOutput {
    const out: MeterOutput = {};
    this.metricsSince ??= at;
    this.levelSince ??= at;
    this.sum += probability;
    this.max = Math.max(this.max, probability);
    this.frames += 1;
    this.latency += Math.max(0, latencyMs);
    for (const sample of samples) this.squares += sample * sample;
    this.samples += samples.length;

    if (at - this.levelSince >= LEVEL_EVERY_MS) {
      out.level = meterLevel(Math.sqrt(this.squares / Math.max(1, this.samples)));
      this.squares = 0;
      this.samples = 0;
      this.levelSince = at;
    }
    if (at - this.metricsSince >= METRICS_EVERY_MS) {
      out.metrics = {
        meanProbability: this.sum / this.frames,
        maxProbability: this.max,
        frames: this.frames,
        latencyMs: Math.round(this.latency / this.frames),
      };
      this.sum = 0;
      this.max = 0;
      this.frames = 0;
      this.latency = 0;
      this.metricsSince = at;
    }
    return out;
  }

  reset(): void {
    this.sum = this.max = this.frames = this.latency = this.squares = this.samples = 0;
    this.metricsSince = this.levelSince = null;
  }
}
