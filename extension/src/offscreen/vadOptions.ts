// The server's VAD settings (PROTOCOL.md 5.5) as vad-web's frame processor options.

import type { FrameProcessorOptions } from '@ricky0123/vad-web';

import type { VadConfig } from '@/shared/voice';

/** Silero v5 takes 512-sample frames at 16 kHz: 32 ms each. */
export const FRAME_SAMPLES = 512;
export const SAMPLE_RATE = 16_000;
export const FRAME_MS = (FRAME_SAMPLES / SAMPLE_RATE) * 1000;

function unit(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

function ms(value: number): number {
  return Number.isFinite(value) ? Math.max(0, value) : 0;
}

/**
 * vad-web calls speech from a frame at `positiveSpeechThreshold` and an end after
 * `redemptionMs` of frames under `negativeSpeechThreshold`, which it wants no higher than the
 * positive one: a server value out of range is clamped rather than passed on, since the library
 * only logs it and then behaves oddly (speech that never ends).
 */
export function vadOptions(config: VadConfig): FrameProcessorOptions {
  const positive = unit(config.startThreshold);
  return {
    positiveSpeechThreshold: positive,
    negativeSpeechThreshold: Math.min(unit(config.endThreshold), positive),
    redemptionMs: ms(config.minSilenceMs),
    minSpeechMs: ms(config.minSpeechMs),
    preSpeechPadMs: ms(config.preRollMs),
    // Pausing is never how we end an utterance: stop and stop-utterance end ours themselves.
    submitUserSpeechOnPause: false,
  };
}
