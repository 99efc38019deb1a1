// The one small interface every transcriber keeps (issue 12): the capture's queue hands it an
// utterance's audio and gets text back, or a `TranscriptionError` that says whether trying
// again can help.

import type { WordTiming } from '@/shared/voice';

/** Every transcriber takes audio at this rate: 16 kHz mono, as the capture records it. */
export const SAMPLE_RATE = 16_000;

export interface TranscribeOptions {
  utteranceId: string;
  /** Aborting it rejects the call at once with a retryable `TranscriptionError`. */
  signal: AbortSignal;
}

export interface TranscriptionResult {
  /** Trimmed, single-spaced. An empty string means the recogniser heard no words (silence,
   * noise, or only annotations such as `[BLANK_AUDIO]`): not a failure, and not a note. */
  text: string;
  /** 0..1 when the recogniser gives one, else null. */
  confidence: number | null;
  words: WordTiming[] | null;
}

export interface Transcriber {
  /** 16 kHz mono samples in [-1, 1]; rejects with TranscriptionError on failure. */
  transcribe(audio: Float32Array, options: TranscribeOptions): Promise<TranscriptionResult>;
}

export interface TranscriberHooks {
  /** `ON_DEVICE`: the model's download or load, 0..1; null when it is not loading. */
  progress(fraction: number | null): void;
}

/** Why a transcription failed. `retryable`: the same audio may succeed later (network,
 * timeout, a busy or failing server, cancelled); otherwise trying again cannot help until the
 * reviewer changes something (settings, key, consent), so the utterance is shown as failed and
 * its audio kept for a manual retry. */
export class TranscriptionError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'TranscriptionError';
  }
}

/** Rejects at once when the caller gave up. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new TranscriptionError('The transcription was cancelled.', true);
}
