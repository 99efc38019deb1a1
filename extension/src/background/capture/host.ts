// The service worker's side of capture: it opens the offscreen document (reason `USER_MEDIA`)
// that holds the microphone, the VAD and the transcription queue, tells it what to do
// (`WorkerToCapture`), and hands what it reports (`CaptureToWorker`) to the worker's
// listeners. See the README's "Voice: capture".
//
// Construct one at the worker's top level, synchronously: its `chrome.runtime.onMessage`
// listener must be in place when a message from the offscreen document wakes the worker.

import type {
  CaptureConfig,
  CaptureStatus,
  CaptureToWorker,
  WorkerToCapture,
} from '@/shared/voice';

import { MICROPHONE_PAGE_PATH, OFFSCREEN_PATH, type TranscriptReceipt } from './protocol';

/** Told each message from the offscreen document. For `capture/transcript`, the returned
 * promise should settle once the transcript is kept for good (the worker's outbox): only then
 * does the offscreen document forget the utterance; a rejection makes it offer it again. */
export type CaptureListener = (message: CaptureToWorker) => void | Promise<void>;

export const IDLE_STATUS: CaptureStatus = { running: false, queued: 0, modelProgress: null };

/** The parts of `chrome` the host uses (a fake one in unit tests). */
export interface CaptureChrome {
  runtime: Pick<typeof chrome.runtime, 'id' | 'getURL' | 'sendMessage' | 'onMessage'> & {
    getContexts(filter: chrome.runtime.ContextFilter): Promise<chrome.runtime.ExtensionContext[]>;
  };
  offscreen: Pick<typeof chrome.offscreen, 'createDocument' | 'closeDocument'>;
}

type Command = WorkerToCapture extends infer M
  ? M extends unknown
    ? Omit<M, 'target'>
    : never
  : never;

const JUSTIFICATION =
  'Listens to the microphone while voice review is on: detects speech and transcribes it into notes.';

function isFromCapture(message: unknown): message is CaptureToWorker {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { target?: unknown }).target === 'worker' &&
    typeof (message as { kind?: unknown }).kind === 'string' &&
    (message as { kind: string }).kind.startsWith('capture/')
  );
}

function isStatus(value: unknown): value is CaptureStatus {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { running?: unknown }).running === 'boolean' &&
    typeof (value as { queued?: unknown }).queued === 'number'
  );
}

export class CaptureHost {
  private readonly listeners = new Set<CaptureListener>();
  private creating: Promise<void> | null = null;
  private config: CaptureConfig | null = null;
  /** Stopped by the worker: close the document once its queue is empty. */
  private stopping = false;

  constructor(private readonly api: CaptureChrome = chrome) {
    api.runtime.onMessage.addListener(this.receive);
  }

  /** Opens the document if needed and starts capture with these settings. */
  async start(config: CaptureConfig): Promise<void> {
    this.config = config;
    this.stopping = false;
    await this.ensureDocument();
    await this.send({ kind: 'capture/start', config });
  }

  /** New settings, applied live; remembered for a later start when capture is not open. */
  async configure(config: CaptureConfig): Promise<void> {
    this.config = config;
    if (await this.hasDocument()) await this.send({ kind: 'capture/config', config });
  }

  /** Ends the utterance in progress (reason `STOP_UTTERANCE`). */
  async stopUtterance(): Promise<void> {
    if (await this.hasDocument()) await this.send({ kind: 'capture/stop-utterance' });
  }

  /** Releases the microphone (an utterance in progress ends with `CAPTURE_STOPPED` and is
   * kept). The document stays open until every queued utterance was transcribed and handed
   * over, then closes. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (!(await this.hasDocument())) return;
    await this.send({ kind: 'capture/stop' });
    await this.closeIfIdle(await this.status());
  }

  /** Reopens the microphone and the VAD (the server's `RESTART_CAPTURE`). */
  async restart(): Promise<void> {
    this.stopping = false;
    const existed = await this.hasDocument();
    await this.ensureDocument();
    // A new document knows the settings it last saved; the host's are newer when it has them.
    if (!existed && this.config) await this.send({ kind: 'capture/start', config: this.config });
    else await this.send({ kind: 'capture/restart' });
  }

  /** Push-to-talk: pressed starts an utterance at once, released ends it. */
  async pushToTalk(pressed: boolean): Promise<void> {
    if (await this.hasDocument()) await this.send({ kind: 'capture/push-to-talk', pressed });
  }

  /** The document's state; idle when there is none. */
  async status(): Promise<CaptureStatus> {
    if (!(await this.hasDocument())) return IDLE_STATUS;
    const answer: unknown = await this.send({ kind: 'capture/status' }).catch(() => null);
    return isStatus(answer) ? answer : IDLE_STATUS;
  }

  /** Every message from the offscreen document; returns the unsubscribe. */
  onMessage(listener: CaptureListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.api.runtime.onMessage.removeListener(this.receive);
    this.listeners.clear();
  }

  private readonly receive = (
    message: unknown,
    sender: chrome.runtime.MessageSender,
    sendResponse: (response: TranscriptReceipt) => void,
  ): true | undefined => {
    if (sender.id !== this.api.runtime.id || !isFromCapture(message)) return undefined;
    const done = this.dispatch(message);
    if (message.kind === 'capture/status') void this.closeIfIdle(message.status);
    if (message.kind !== 'capture/transcript') return undefined;
    void done.then(
      (received) => sendResponse({ received }),
      () => sendResponse({ received: false }),
    );
    return true;
  };

  /** True when at least one listener took the message and none failed. */
  private async dispatch(message: CaptureToWorker): Promise<boolean> {
    const listeners = [...this.listeners];
    const results = await Promise.allSettled(
      listeners.map((listener) => Promise.resolve().then(() => listener(message))),
    );
    return listeners.length > 0 && results.every((result) => result.status === 'fulfilled');
  }

  private async closeIfIdle(status: CaptureStatus): Promise<void> {
    if (!this.stopping || status.running || status.queued > 0) return;
    if (!(await this.hasDocument())) return;
    await this.api.offscreen.closeDocument().catch(() => undefined);
  }

  private send(command: Command): Promise<unknown> {
    return this.api.runtime.sendMessage({ target: 'capture', ...command });
  }

  private async hasDocument(): Promise<boolean> {
    const contexts = await this.api.runtime.getContexts({
      contextTypes: ['OFFSCREEN_DOCUMENT'],
      documentUrls: [this.api.runtime.getURL(OFFSCREEN_PATH)],
    });
    return contexts.length > 0;
  }

  private async ensureDocument(): Promise<void> {
    if (await this.hasDocument()) return;
    this.creating ??= this.api.offscreen
      .createDocument({
        url: OFFSCREEN_PATH,
        reasons: ['USER_MEDIA'],
        justification: JUSTIFICATION,
      })
      .catch(async (error: unknown) => {
        // Another call made it meanwhile (only one offscreen document may exist).
        if (!(await this.hasDocument())) throw error;
      })
      .finally(() => {
        this.creating = null;
      });
    await this.creating;
  }
}

/** Opens the microphone page in a tab: the only place the permission can be asked, since the
 * offscreen document cannot show Chrome's prompt. */
export async function openMicrophonePage(): Promise<void> {
  await chrome.tabs.create({ url: chrome.runtime.getURL(MICROPHONE_PAGE_PATH) });
}
