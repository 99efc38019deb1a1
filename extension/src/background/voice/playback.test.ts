import { describe, expect, it } from 'vitest';

import type { PlaybackSample } from '@/shared/voice';

import { addSample, HISTORY_MS, mediaTimeAt, type PlaybackHistory } from './playback';

const playing = (at: number, seconds: number, rate = 1): PlaybackSample => ({
  at,
  seconds,
  playing: true,
  rate,
});
const paused = (at: number, seconds: number): PlaybackSample => ({
  at,
  seconds,
  playing: false,
  rate: 1,
});

function history(...samples: PlaybackSample[]): PlaybackHistory {
  return samples.reduce<PlaybackHistory>(addSample, []);
}

describe('mediaTimeAt', () => {
  it('knows nothing without a sample', () => {
    expect(mediaTimeAt([], 1_000, 500)).toBeNull();
  });

  it('extrapolates a playing video to the onset, then takes the pre-roll off', () => {
    const h = history(playing(10_000, 30), playing(10_250, 30.25));
    // 400 ms after the last sample: 30.65 s at the onset, 30.15 s after a 500 ms pre-roll.
    const at = mediaTimeAt(h, 10_650, 500);
    expect(at?.playing).toBe(true);
    expect(at?.mediaTime).toBeCloseTo(30.15, 6);
  });

  it('scales the extrapolation and the pre-roll by the playback rate', () => {
    const h = history(playing(0, 100, 2));
    // 1 s at 2x: 102 s; the 500 ms pre-roll is 1 s of media at that rate.
    expect(mediaTimeAt(h, 1_000, 500)?.mediaTime).toBeCloseTo(101, 6);
  });

  it('holds a paused video where it stopped, with no pre-roll', () => {
    const h = history(playing(0, 5), paused(2_000, 7));
    const at = mediaTimeAt(h, 9_000, 500);
    expect(at).toEqual({ mediaTime: 7, playing: false });
  });

  it('uses the playing sample for an onset before a later pause', () => {
    const h = history(playing(0, 5), paused(2_000, 7));
    expect(mediaTimeAt(h, 1_500, 0)).toEqual({ mediaTime: 6.5, playing: true });
  });

  it('follows a seek between samples, on the right side of it', () => {
    const h = history(playing(0, 10), playing(250, 10.25), playing(300, 80));
    expect(mediaTimeAt(h, 280, 0)?.mediaTime).toBeCloseTo(10.28, 6);
    expect(mediaTimeAt(h, 500, 0)?.mediaTime).toBeCloseTo(80.2, 6);
  });

  it('never rolls back before a seek or a press on play just before the onset', () => {
    const seeked = history(playing(0, 10), playing(250, 10.25), playing(300, 80));
    // 100 ms after the seek to 80 s: the pre-roll would reach 79.6 s, which was never shown.
    expect(mediaTimeAt(seeked, 400, 500)?.mediaTime).toBeCloseTo(80, 6);
    const started = history(paused(0, 42), playing(5_000, 42));
    expect(mediaTimeAt(started, 5_200, 500)?.mediaTime).toBeCloseTo(42, 6);
  });

  it('rolls back across samples of one stretch of playback', () => {
    const h = history(playing(0, 20), playing(250, 20.25), playing(500, 20.5));
    expect(mediaTimeAt(h, 600, 500)?.mediaTime).toBeCloseTo(20.1, 6);
  });

  it('never goes below zero', () => {
    const h = history(playing(0, 0));
    expect(mediaTimeAt(h, 200, 500)?.mediaTime).toBe(0);
  });

  it('bounds the extrapolation by the next sample when playback stalled', () => {
    // Buffering: "playing" but the playhead moved 50 ms in 250 ms.
    const h = history(playing(0, 12), playing(250, 12.05));
    expect(mediaTimeAt(h, 200, 0)?.mediaTime).toBeCloseTo(12.05, 6);
  });

  it('takes the first sample back by its rate for an onset before the history', () => {
    const h = history(playing(1_000, 50));
    expect(mediaTimeAt(h, 600, 0)?.mediaTime).toBeCloseTo(49.6, 6);
    expect(mediaTimeAt(history(paused(1_000, 50)), 600, 500)).toEqual({
      mediaTime: 50,
      playing: false,
    });
  });
});

describe('addSample', () => {
  it('keeps samples in time order whatever order they arrive in', () => {
    const h = history(playing(500, 1.5), playing(0, 1), playing(250, 1.25));
    expect(h.map((s) => s.at)).toEqual([0, 250, 500]);
  });

  it('forgets samples older than the history window, and invalid ones', () => {
    let h = history(playing(0, 1));
    h = addSample(h, playing(HISTORY_MS + 1_000, 5));
    h = addSample(h, { at: Number.NaN, seconds: 3, playing: true, rate: 1 });
    h = addSample(h, { at: HISTORY_MS + 2_000, seconds: -1, playing: true, rate: 1 });
    expect(h.map((s) => s.seconds)).toEqual([5]);
  });
});
