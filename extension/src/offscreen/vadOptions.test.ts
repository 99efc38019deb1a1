import { describe, expect, it } from 'vitest';

import { FRAME_MS, vadOptions } from './vadOptions';

const SERVER_DEFAULTS = {
  startThreshold: 0.6,
  endThreshold: 0.35,
  minSilenceMs: 650,
  minSpeechMs: 200,
  maxSpeechMs: 15_000,
  preRollMs: 500,
};

describe('vadOptions', () => {
  it("maps the server's settings onto vad-web's names", () => {
    expect(vadOptions(SERVER_DEFAULTS)).toEqual({
      positiveSpeechThreshold: 0.6,
      negativeSpeechThreshold: 0.35,
      redemptionMs: 650,
      minSpeechMs: 200,
      preSpeechPadMs: 500,
      submitUserSpeechOnPause: false,
    });
  });

  it('keeps the end threshold at or under the start threshold', () => {
    const options = vadOptions({ ...SERVER_DEFAULTS, startThreshold: 0.4, endThreshold: 0.7 });
    expect(options.positiveSpeechThreshold).toBe(0.4);
    expect(options.negativeSpeechThreshold).toBe(0.4);
  });

  it('clamps thresholds to 0..1 and times to zero or more', () => {
    const options = vadOptions({
      ...SERVER_DEFAULTS,
      startThreshold: 1.5,
      endThreshold: -0.2,
      minSilenceMs: -10,
      preRollMs: Number.NaN,
    });
    expect(options.positiveSpeechThreshold).toBe(1);
    expect(options.negativeSpeechThreshold).toBe(0);
    expect(options.redemptionMs).toBe(0);
    expect(options.preSpeechPadMs).toBe(0);
  });

  it('uses Silero v5 frames of 32 ms', () => {
    expect(FRAME_MS).toBe(32);
  });
});
