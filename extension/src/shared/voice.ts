// The voice loop's messages between the extension's contexts (issue 12), as typed unions.
//
//   offscreen document ("capture": microphone → 16 kHz mono → Silero VAD → utterance audio,
//   kept in IndexedDB until transcribed → transcriber)  ⇄  service worker (the v2 session:
//   sequenced events, commands, transcripts through the outbox)  ⇄  content script (the
//   playhead history that maps a speech onset to media time; pause and resume).
//
// Clocks: every `at` / `onsetAt` is epoch milliseconds (`performance.timeOrigin +
// performance.now()` in the context that saw it), so the three contexts share one time line.

/** What the VAD needs, from PROTOCOL.md 5.5 (handshake `config`, then `settingsChanged`). */
export interface VadConfig {
  startThreshold: number;
  endThreshold: number;
  minSilenceMs: number;
  minSpeechMs: number;
  maxSpeechMs: number;
  preRollMs: number;
}

/** How utterances become text: the reviewer's settings (PROTOCOL.md 5.5) and, for a hosted
 * endpoint, the API key this device keeps (never sent to the Lossy server). */
export interface TranscriptionConfig {
  mode: 'ON_DEVICE' | 'ENDPOINT' | 'FIXTURE';
  /** Base URL of an OpenAI-compatible API (`{endpoint}/audio/transcriptions`). */
  endpoint: string | null;
  model: string;
  apiKey: string | null;
  /** `ON_DEVICE` only: the reviewer agreed to download the model once. */
  downloadAllowed: boolean;
}

export interface CaptureConfig {
  vad: VadConfig;
  transcription: TranscriptionConfig;
}

/** Why capture cannot run, as the reviewer is told. */
export type CaptureErrorCode =
  /** The microphone permission was refused (or never asked on a visible page). */
  | 'MIC_DENIED'
  /** No microphone, or it was unplugged. */
  | 'MIC_MISSING'
  /** The VAD model or its runtime failed to load. */
  | 'VAD_FAILED'
  | 'FAILED';

/** Why an utterance ended (the server's `SPEECH_END` `reason`). */
export type SpeechEndReason =
  'SILENCE' | 'MAX_SPEECH' | 'PUSH_TO_TALK_RELEASE' | 'STOP_UTTERANCE' | 'CAPTURE_STOPPED';

export interface WordTiming {
  word: string;
  startMs: number;
  endMs: number;
}

export interface Transcript {
  utteranceId: string;
  text: string;
  /** 0..1; the recogniser's, or 1 when it gives none. */
  confidence: number;
  words: WordTiming[] | null;
  /** `submitTranscript`'s `source`: `whisper-endpoint`, `whisper-on-device`, `fixture`. */
  source: string;
}

// ---------------------------------------------------------------------------------------------
// Service worker → offscreen document (`chrome.runtime.sendMessage` with `target: 'capture'`).

export type WorkerToCapture = { target: 'capture' } & (
  | { kind: 'capture/start'; config: CaptureConfig }
  /** New settings while running: applied live, no restart. */
  | { kind: 'capture/config'; config: CaptureConfig }
  /** The server's `STOP_UTTERANCE`: end the utterance now (reason `STOP_UTTERANCE`). */
  | { kind: 'capture/stop-utterance' }
  /** The server's `STOP_CAPTURE`, or voice turned off: end any utterance, release the mic. */
  | { kind: 'capture/stop' }
  /** The server's `RESTART_CAPTURE`: reopen the microphone and the VAD. */
  | { kind: 'capture/restart' }
  /** Push-to-talk: `down` starts an utterance at once, `up` ends it (`PUSH_TO_TALK_RELEASE`). */
  | { kind: 'capture/push-to-talk'; pressed: boolean }
  /** Answered with `CaptureStatus`. */
  | { kind: 'capture/status' }
);

export interface CaptureStatus {
  running: boolean;
  /** Utterances recorded and not yet transcribed (kept in IndexedDB). */
  queued: number;
  /** `ON_DEVICE`: the model's download or load, 0..1, or null when not loading. */
  modelProgress: number | null;
}

// ---------------------------------------------------------------------------------------------
// Offscreen document → service worker (`chrome.runtime.sendMessage` with `target: 'worker'`).

export type CaptureToWorker = { target: 'worker' } &
  /** The microphone and the VAD run. */
  (
    | { kind: 'capture/started' }
    | { kind: 'capture/error'; code: CaptureErrorCode; message: string }
    /** Speech began at `onsetAt` (the VAD's first speech frame, before any pre-roll). */
    | { kind: 'capture/speech-start'; utteranceId: string; onsetAt: number }
    | {
        kind: 'capture/speech-end';
        utteranceId: string;
        durationMs: number;
        reason: SpeechEndReason;
      }
    /** A speech start the VAD took back (shorter than `minSpeechMs`): no audio is kept. */
    | { kind: 'capture/misfire'; utteranceId: string }
    | { kind: 'capture/transcript'; transcript: Transcript }
    /** Transcription failed for good (after retries); the audio is kept for a manual retry. */
    | { kind: 'capture/transcript-failed'; utteranceId: string; message: string }
    /** At most once a second: `reportVoiceMetrics`' aggregate. */
    | {
        kind: 'capture/metrics';
        meanProbability: number;
        maxProbability: number;
        frames: number;
        latencyMs: number;
      }
    /** About ten times a second while running: the input level, 0..1 (RMS, for the meter). */
    | { kind: 'capture/level'; level: number }
    | { kind: 'capture/status'; status: CaptureStatus }
  );

// ---------------------------------------------------------------------------------------------
// Content script → service worker, while voice is on for its tab: the playhead's history.

/** One playback sample: at `at`, the playhead read `seconds`, playing at `rate` or paused.
 * Sent on every play, pause, seek and rate change, and every 250 ms while playing. */
export interface PlaybackSample {
  at: number;
  seconds: number;
  playing: boolean;
  rate: number;
}
