// Transcription behind one small interface (issue 12), chosen by the reviewer's settings:
// `ON_DEVICE` (Whisper in the offscreen document), `ENDPOINT` (an OpenAI-compatible
// `/audio/transcriptions`), `FIXTURE` (tests only). The capture's queue owns retries; a
// transcriber answers once per call. See the README's "Voice: transcription".

import type { TranscriptionConfig } from '@/shared/voice';

import { createEndpointTranscriber } from './endpoint';
import { createFixtureTranscriber } from './fixture';
import { createOnDeviceTranscriber } from './on-device';
import type { Transcriber, TranscriberHooks } from './types';

export {
  SAMPLE_RATE,
  TranscriptionError,
  type TranscribeOptions,
  type Transcriber,
  type TranscriberHooks,
  type TranscriptionResult,
} from './types';
export type { WordTiming } from '@/shared/voice';

export function createTranscriber(
  config: TranscriptionConfig,
  hooks: TranscriberHooks,
): Transcriber {
  switch (config.mode) {
    case 'ENDPOINT':
      return createEndpointTranscriber(config);
    case 'FIXTURE':
      return createFixtureTranscriber(config);
    case 'ON_DEVICE':
      return createOnDeviceTranscriber(config, hooks);
  }
}

/** `submitTranscript`'s `source` for the transcripts of a mode. */
export function transcriptSource(mode: TranscriptionConfig['mode']): string {
  switch (mode) {
    case 'ENDPOINT':
      return 'whisper-endpoint';
    case 'FIXTURE':
      return 'fixture';
    case 'ON_DEVICE':
      return 'whisper-on-device';
  }
}
