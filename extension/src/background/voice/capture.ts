// What the voice driver needs of the capture (the offscreen document's microphone, VAD and
// transcription queue): commands out, `CaptureToWorker` messages in. The real one is the
// worker-side capture host (src/background/capture); main.ts adapts it to this port. The
// scripted one is a development builds' test hook: no microphone at all, the test plays the
// capture's part by sending `CaptureToWorker` messages from an extension page.

import { hasKind } from '@/shared/messages';
import type { CaptureConfig, CaptureToWorker } from '@/shared/voice';

/** Answers a `CaptureToWorker` message; the value is the message's response (for
 * `capture/transcript`, the receipt `{received}` once the transcript is in the outbox). */
export type CaptureListener = (message: CaptureToWorker) => Promise<unknown> | undefined;

export interface CapturePort {
  /** Opens the microphone and the VAD with `config` (a running capture keeps running and
   * takes the config); also retries transcriptions that failed. */
  start(config: CaptureConfig): Promise<void>;
  /** New settings, applied live. */
  configure(config: CaptureConfig): Promise<void>;
  /** Ends the utterance being spoken (`STOP_UTTERANCE`). */
  stopUtterance(): Promise<void>;
  /** Ends any utterance and releases the microphone; queued transcriptions go on. */
  stop(): Promise<void>;
  /** Reopens the microphone and the VAD (`RESTART_CAPTURE`). */
  restart(): Promise<void>;
  pushToTalk(pressed: boolean): Promise<void>;
  /** Delivers the capture's messages to `listener` until the returned function is called. */
  onMessage(listener: CaptureListener): () => void;
}

/** A `CaptureToWorker` message, by its shape. */
export function isCaptureMessage(message: unknown): message is CaptureToWorker {
  return (
    hasKind(message) &&
    (message as { target?: unknown }).target === 'worker' &&
    message.kind.startsWith('capture/')
  );
}

/** What the scripted capture was told, for the test that drives it (session storage). */
export const SCRIPTED_LOG_KEY = 'voiceTestCaptureLog';

/**
 * The test hook's capture (development builds, `voiceTestCapture` in local storage): it opens
 * nothing and answers `start` and `restart` with `capture/started`, as a microphone that
 * works would; every other message comes from the test, sent from an extension page
 * (`chrome.runtime.sendMessage({target: 'worker', kind: 'capture/speech-start', …})`). It
 * records the commands it got in session storage (`SCRIPTED_LOG_KEY`).
 */
export class ScriptedCapture implements CapturePort {
  private readonly listeners = new Set<CaptureListener>();
  private log: string[] = [];

  constructor() {
    chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
      if (sender.id !== chrome.runtime.id || !isCaptureMessage(message)) return undefined;
      // Only the extension's own pages: a content script's sender has a web page's URL.
      if (!sender.url?.startsWith(chrome.runtime.getURL(''))) return undefined;
      const answers = [...this.listeners].map((listener) => listener(message));
      const answer = answers.find((a) => a !== undefined);
      if (!answer) return undefined;
      void answer.then(sendResponse, () => sendResponse(undefined));
      return true;
    });
  }

  private record(command: string): Promise<void> {
    this.log = [...this.log, command].slice(-200);
    return chrome.storage.session.set({ [SCRIPTED_LOG_KEY]: this.log });
  }

  private emit(message: CaptureToWorker): void {
    for (const listener of this.listeners) void listener(message);
  }

  async start(): Promise<void> {
    await this.record('start');
    this.emit({ target: 'worker', kind: 'capture/started' });
  }

  async configure(): Promise<void> {
    await this.record('config');
  }

  async stopUtterance(): Promise<void> {
    await this.record('stop-utterance');
  }

  async stop(): Promise<void> {
    await this.record('stop');
  }

  async restart(): Promise<void> {
    await this.record('restart');
    this.emit({ target: 'worker', kind: 'capture/started' });
  }

  async pushToTalk(pressed: boolean): Promise<void> {
    await this.record(pressed ? 'push-to-talk:down' : 'push-to-talk:up');
  }

  onMessage(listener: CaptureListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
