// The transcription queue: every stored utterance, oldest first, goes to the transcriber, and
// its transcript to the worker, in order. Nothing is dropped:
// - a retryable failure (network, timeout, a busy server) is tried again after a growing wait,
//   a few times, then the utterance is marked failed and the worker told
//   (`capture/transcript-failed`), its audio kept for a retry (`retryFailed`, when capture
//   starts again);
// - a transcript is stored before it is offered to the worker, and the utterance removed only
//   when the worker says it has it; while the worker does not take it, later utterances are
//   still transcribed, and offered after it, in order;
// - everything lives in IndexedDB, so a reopened offscreen document carries on where the last
//   one stopped.

import type { Transcriber } from '@/transcription/types';
import type { Transcript } from '@/shared/voice';

import type { StoredUtterance, UtteranceStore } from './store';

export interface CurrentTranscriber {
  transcriber: Transcriber;
  /** `submitTranscript`'s `source` for its transcripts. */
  source: string;
}

export interface QueueOptions {
  store: UtteranceStore;
  /** The transcriber for the current settings; null until the settings are known. */
  transcriber(): CurrentTranscriber | null;
  /** Offers a transcript to the worker; true once the worker has it for good. */
  deliver(transcript: Transcript): Promise<boolean>;
  /** Transcription failed for good (after retries, or at once when retrying cannot help). */
  failed(utteranceId: string, message: string): void;
  /** The number of queued utterances may have changed. */
  changed?(): void;
  /** Waits before each retry of a retryable failure; their count is the number of retries. */
  retryDelaysMs?: readonly number[];
  /** Waits before offering a transcript the worker did not take again (the last repeats). */
  deliveryDelaysMs?: readonly number[];
}

export const RETRY_DELAYS_MS = [1_000, 4_000, 15_000] as const;
export const DELIVERY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000] as const;

/** Still the queue's to do: waiting for transcription, or a transcript for the worker. */
export function pending(utterance: StoredUtterance): boolean {
  return utterance.state !== 'failed';
}

function describe(error: unknown): { message: string; retryable: boolean } {
  const retryable = (error as { retryable?: unknown } | null)?.retryable === true;
  const message =
    error instanceof Error ? error.message : typeof error === 'string' ? error : 'unknown error';
  return { message, retryable };
}

export class TranscriptionQueue {
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private deliveryBlocked = false;
  private deliveryFailures = 0;
  private deliveryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly inFlight = new AbortController();
  private readonly retryDelays: readonly number[];
  private readonly deliveryDelays: readonly number[];

  constructor(private readonly options: QueueOptions) {
    this.retryDelays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
    this.deliveryDelays = options.deliveryDelaysMs ?? DELIVERY_DELAYS_MS;
  }

  /** Works through the queue (again) soon: a new utterance, new settings, a worker back. */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Resolves when the queue has nothing it can do now. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** The utterances still to transcribe or to hand over. */
  async count(): Promise<number> {
    return (await this.options.store.all()).filter(pending).length;
  }

  /** Queues the failed utterances again (the reviewer started capture again). */
  async retryFailed(): Promise<void> {
    for (const utterance of await this.options.store.all()) {
      if (utterance.state !== 'failed') continue;
      await this.options.store.put({ ...utterance, state: 'queued', attempts: 0, error: null });
    }
    this.options.changed?.();
    this.kick();
  }

  /** Stops: an attempt in flight is abandoned (its utterance stays queued). */
  close(): void {
    this.closed = true;
    this.inFlight.abort();
    if (this.deliveryTimer !== null) clearTimeout(this.deliveryTimer);
  }

  private async drain(): Promise<void> {
    while (!this.closed) {
      const queue = (await this.options.store.all()).filter(pending);
      const head = queue[0];
      if (head?.state === 'transcribed' && !this.deliveryBlocked) {
        await this.deliver(head);
        continue;
      }
      const next = queue.find((utterance) => utterance.state === 'queued');
      if (!next) return;
      const current = this.options.transcriber();
      if (!current) return; // kicked again when settings arrive
      await this.attempt(next, current);
    }
  }

  private async deliver(utterance: StoredUtterance): Promise<void> {
    const transcript = utterance.transcript;
    const received =
      transcript !== null && (await this.options.deliver(transcript).catch(() => false));
    if (this.closed) return;
    if (received) {
      this.deliveryFailures = 0;
      await this.options.store.remove(utterance.utteranceId);
      this.options.changed?.();
      return;
    }
    // The worker is not there (restarting, or not listening yet): later utterances are still
    // transcribed meanwhile, and offered after this one.
    this.deliveryBlocked = true;
    const delays = this.deliveryDelays;
    const delay = delays[Math.min(this.deliveryFailures, delays.length - 1)] ?? 1_000;
    this.deliveryFailures += 1;
    this.deliveryTimer = setTimeout(() => {
      this.deliveryTimer = null;
      this.deliveryBlocked = false;
      this.kick();
    }, delay);
  }

  private async attempt(utterance: StoredUtterance, current: CurrentTranscriber): Promise<void> {
    const { store } = this.options;
    try {
      const audio = await store.audio(utterance.utteranceId);
      if (!audio) throw new Error('the audio of this utterance is missing');
      const result = await current.transcriber.transcribe(audio, {
        utteranceId: utterance.utteranceId,
        signal: this.inFlight.signal,
      });
      if (this.closed) return;
      await store.put({
        ...utterance,
        state: 'transcribed',
        error: null,
        transcript: {
          utteranceId: utterance.utteranceId,
          text: result.text,
          confidence: result.confidence ?? 1,
          words: result.words,
          source: current.source,
        },
      });
    } catch (error) {
      if (this.closed) return;
      const { message, retryable } = describe(error);
      const attempts = utterance.attempts + 1;
      const delay = retryable ? this.retryDelays[attempts - 1] : undefined;
      if (delay !== undefined) {
        await store.put({ ...utterance, attempts, error: message });
        await this.wait(delay);
        return;
      }
      await store.put({ ...utterance, attempts, error: message, state: 'failed' });
      this.options.failed(utterance.utteranceId, message);
    } finally {
      this.options.changed?.();
    }
  }

  private wait(ms: number): Promise<void> {
    const { signal } = this.inFlight;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    });
  }
}
