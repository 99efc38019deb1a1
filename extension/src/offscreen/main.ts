// The offscreen document (reason `USER_MEDIA`): the microphone, the VAD, utterance audio kept
// in IndexedDB, and the transcription queue. It answers the service worker's `WorkerToCapture`
// messages and sends `CaptureToWorker` ones (src/shared/voice.ts); an offscreen document can
// use no other extension API than `chrome.runtime`.

import { isReceipt } from '@/background/capture/protocol';
import type {
  CaptureConfig,
  CaptureStatus,
  CaptureToWorker,
  Transcript,
  TranscriptionConfig,
  WorkerToCapture,
} from '@/shared/voice';
import { createTranscriber, transcriptSource } from '@/transcription';

import { Capture, now } from './capture';
import { CaptureFailure } from './microphone';
import { TranscriptionQueue, type CurrentTranscriber } from './queue';
import { UtteranceStore } from './store';
import type { TrackerEvent } from './utterances';

type Outgoing = CaptureToWorker extends infer M
  ? M extends unknown
    ? Omit<M, 'target'>
    : never
  : never;

/** Model progress is sent at most this often. */
const PROGRESS_EVERY_MS = 250;

const storeReady = UtteranceStore.open();

let config: CaptureConfig | null = null;
let capture: Capture | null = null;
let current: (CurrentTranscriber & { key: string }) | null = null;
let modelProgress: number | null = null;
let progressSentAt = 0;
let progressTimer: ReturnType<typeof setTimeout> | null = null;

// ---------------------------------------------------------------------------------------------
// To the worker. One chain, so messages arrive in the order they were made, and a speech end
// leaves only once its audio is stored.

let outbox: Promise<unknown> = Promise.resolve();

function post(message: Outgoing): void {
  enqueue(() => send(message));
}

function enqueue(step: () => Promise<unknown>): void {
  outbox = outbox.then(step).catch((error: unknown) => {
    console.warn('Lossy capture: a message to the worker failed', error);
  });
}

function send(message: Outgoing): Promise<void> {
  // Messages are delivered in the order they are sent, so there is no answer to wait for (a
  // listener elsewhere that keeps the channel open would hold up everything after). No
  // receiver (the worker's capture host is not listening) is no error: speech events only
  // matter to a listening worker, and transcripts are offered again until one is received.
  chrome.runtime.sendMessage({ target: 'worker', ...message }).catch(() => undefined);
  return Promise.resolve();
}

async function deliver(transcript: Transcript): Promise<boolean> {
  const answer: unknown = await chrome.runtime.sendMessage({
    target: 'worker',
    kind: 'capture/transcript',
    transcript,
  } satisfies CaptureToWorker);
  return isReceipt(answer) && answer.received;
}

// ---------------------------------------------------------------------------------------------
// Transcription.

const queueReady = storeReady.then(
  (store) =>
    new TranscriptionQueue({
      store,
      transcriber: () => current,
      deliver,
      failed: (utteranceId, message) =>
        post({ kind: 'capture/transcript-failed', utteranceId, message }),
      changed: () => void sendStatus(),
    }),
);

function kick(): void {
  void queueReady.then((queue) => queue.kick());
}

function transcribeWith(transcription: TranscriptionConfig): void {
  const key = JSON.stringify(transcription);
  if (current?.key === key) return;
  current = {
    key,
    source: transcriptSource(transcription.mode),
    transcriber: createTranscriber(transcription, { progress: progressed }),
  };
  kick();
}

function progressed(fraction: number | null): void {
  modelProgress = fraction;
  // The first and last reports go at once, the rest at most every PROGRESS_EVERY_MS.
  const wait = fraction === null || fraction >= 1 ? 0 : progressSentAt + PROGRESS_EVERY_MS - now();
  if (progressTimer !== null) return;
  progressTimer = setTimeout(
    () => {
      progressTimer = null;
      progressSentAt = now();
      void sendStatus();
    },
    Math.max(0, wait),
  );
}

async function status(): Promise<CaptureStatus> {
  return {
    running: capture?.running ?? false,
    queued: await (await queueReady).count(),
    modelProgress,
  };
}

async function sendStatus(): Promise<void> {
  post({ kind: 'capture/status', status: await status() });
}

// ---------------------------------------------------------------------------------------------
// Capture.

function onUtterance(event: TrackerEvent): void {
  switch (event.kind) {
    case 'start':
      post({
        kind: 'capture/speech-start',
        utteranceId: event.utteranceId,
        onsetAt: event.onsetAt,
      });
      return;
    case 'misfire':
      post({ kind: 'capture/misfire', utteranceId: event.utteranceId });
      return;
    case 'end':
      enqueue(async () => {
        const store = await storeReady;
        try {
          await store.add(
            {
              utteranceId: event.utteranceId,
              onsetAt: event.onsetAt,
              durationMs: event.durationMs,
              reason: event.reason,
              recordedAt: now(),
              state: 'queued',
              attempts: 0,
              transcript: null,
              error: null,
            },
            event.audio,
          );
        } catch (error) {
          // The session still needs its speech end; the reviewer is told this one is lost.
          await send({
            kind: 'capture/error',
            code: 'FAILED',
            message: `The browser could not keep an utterance's audio: ${String(error)}`,
          });
        }
        await send({
          kind: 'capture/speech-end',
          utteranceId: event.utteranceId,
          durationMs: event.durationMs,
          reason: event.reason,
        });
        kick();
        await sendStatus();
      });
      return;
  }
}

async function open(next: CaptureConfig): Promise<void> {
  try {
    capture = await Capture.open(next.vad, {
      utterance: onUtterance,
      metrics: (metrics) => post({ kind: 'capture/metrics', ...metrics }),
      level: (level) => post({ kind: 'capture/level', level }),
      lost: (failure) => {
        capture = null;
        post({ kind: 'capture/error', code: failure.code, message: failure.message });
        void sendStatus();
      },
    });
    post({ kind: 'capture/started' });
  } catch (error) {
    capture = null;
    const failure =
      error instanceof CaptureFailure ? error : new CaptureFailure('FAILED', String(error));
    post({ kind: 'capture/error', code: failure.code, message: failure.message });
  }
  await sendStatus();
}

async function close(): Promise<void> {
  const closing = capture;
  capture = null;
  await closing?.close();
  await sendStatus();
}

async function configure(next: CaptureConfig): Promise<void> {
  config = next;
  await (await storeReady).saveConfig(next);
  transcribeWith(next.transcription);
  capture?.configure(next.vad);
}

async function handle(message: WorkerToCapture): Promise<void> {
  switch (message.kind) {
    case 'capture/start':
      await configure(message.config);
      // Starting again is the reviewer's way to retry what failed.
      await (await queueReady).retryFailed();
      if (!capture) await open(message.config);
      else post({ kind: 'capture/started' });
      return;
    case 'capture/config':
      await configure(message.config);
      return;
    case 'capture/stop':
      await close();
      return;
    case 'capture/restart': {
      await close();
      const next = config ?? (await (await storeReady).loadConfig());
      if (next) await open(next);
      else post({ kind: 'capture/error', code: 'FAILED', message: 'Capture has no settings yet.' });
      return;
    }
    case 'capture/stop-utterance':
    case 'capture/push-to-talk':
    case 'capture/status':
      return;
  }
}

// Start, stop, restart and settings run one after another, so a stop cannot overtake the start
// it follows.
let control: Promise<void> = Promise.resolve();

function isForCapture(message: unknown): message is WorkerToCapture {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { target?: unknown }).target === 'capture'
  );
}

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id || !isForCapture(message)) return;
  switch (message.kind) {
    case 'capture/status':
      void status().then(sendResponse);
      return true;
    // Immediate: they are about the utterance in progress, which a queued control step would
    // delay.
    case 'capture/push-to-talk':
      capture?.pushToTalk(message.pressed);
      return;
    case 'capture/stop-utterance':
      capture?.stopUtterance();
      return;
    default:
      control = control
        .then(() => handle(message))
        .catch((error: unknown) => {
          post({ kind: 'capture/error', code: 'FAILED', message: String(error) });
        });
      return;
  }
});

// A reopened document carries on with what the last one left queued (once the worker's
// messages are listened to: the listener above must be in place when the document has loaded).
void storeReady
  .then((store) => store.loadConfig())
  .then((saved) => {
    if (saved && !config) {
      config = saved;
      transcribeWith(saved.transcription);
    }
    kick();
  });
