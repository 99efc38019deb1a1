// What the voice driver needs of the capture (the offscreen document's microphone, VAD and
// transcription queue): commands out, `CaptureToWorker` messages in. The real one is the
// worker-side capture host (src/background/capture/host.ts), adapted by `capturePort`. The
// scripted one is a development builds' test hook: no microphone at all, the test plays the
// capture's part by sending `CaptureToWorker` messages from an extension page.

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

/** What the scripted capture was told, for the test that drives it (session storage). */
export const SCRIPTED_LOG_KEY = 'voiceTestCaptureLog';
/** The last config it was given by `start` or `configure` (session storage). */
export const SCRIPTED_CONFIG_KEY = 'voiceTestCaptureConfig';

/**
 * The test hook's capture (development builds, `voiceTestCapture` in local storage): it opens
 * nothing and answers `start` and `restart` with `capture/started`, as a microphone that
 * works would; every other message comes from the test, sent from an extension page
 * (`chrome.runtime.sendMessage({target: 'worker', kind: 'capture/speech-start', …})`), which
 * the capture host delivers like the offscreen document's. It records the commands it got in
 * session storage (`SCRIPTED_LOG_KEY`), and the last config (`SCRIPTED_CONFIG_KEY`), so a test
 * sees what reached the capture, live.
 */
export class ScriptedCapture {
  private readonly listeners = new Set<CaptureListener>();
  private log: string[] = [];

  private async record(command: string, config?: CaptureConfig): Promise<void> {
    this.log = [...this.log, command].slice(-200);
    await chrome.storage.session.set({
      [SCRIPTED_LOG_KEY]: this.log,
      ...(config ? { [SCRIPTED_CONFIG_KEY]: config } : {}),
    });
  }

  private started(): void {
    for (const listener of this.listeners)
      void listener({ target: 'worker', kind: 'capture/started' });
  }

  async start(config: CaptureConfig): Promise<void> {
    await this.record('start', config);
    this.started();
  }

  async configure(config: CaptureConfig): Promise<void> {
    await this.record('config', config);
  }

  async stopUtterance(): Promise<void> {
    await this.record('stop-utterance');
  }

  async stop(): Promise<void> {
    await this.record('stop');
  }

  async restart(): Promise<void> {
    await this.record('restart');
    this.started();
  }

  async pushToTalk(pressed: boolean): Promise<void> {
    await this.record(pressed ? 'push-to-talk:down' : 'push-to-talk:up');
  }

  /** Its own `capture/started` answers. */
  onStarted(listener: CaptureListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The capture host's side of the port (src/background/capture/host.ts). */
export interface CaptureHostLike {
  start(config: CaptureConfig): Promise<void>;
  configure(config: CaptureConfig): Promise<void>;
  stopUtterance(): Promise<void>;
  stop(): Promise<void>;
  restart(): Promise<void>;
  pushToTalk(pressed: boolean): Promise<void>;
  /** A listener's promise settles once the message is dealt with; for `capture/transcript`
   * a rejection means "not kept" (the document offers it again). */
  onMessage(listener: (message: CaptureToWorker) => void | Promise<void>): () => void;
}

/**
 * The port the driver uses: the capture host's messages (from the offscreen document, or in
 * the test hook from the test's extension page), and its commands, or the scripted capture's
 * while `scripted()` says so.
 */
export function capturePort(
  host: CaptureHostLike,
  scripted: ScriptedCapture,
  scriptedOn: () => Promise<boolean>,
): CapturePort {
  const pick = async () => ((await scriptedOn()) ? scripted : host);
  return {
    start: async (config) => (await pick()).start(config),
    configure: async (config) => (await pick()).configure(config),
    stopUtterance: async () => (await pick()).stopUtterance(),
    stop: async () => (await pick()).stop(),
    restart: async () => (await pick()).restart(),
    pushToTalk: async (pressed) => (await pick()).pushToTalk(pressed),
    onMessage(listener) {
      const fromHost = host.onMessage(async (message) => {
        const answer = await listener(message);
        if (message.kind === 'capture/transcript' && !isReceived(answer)) {
          throw new Error('the transcript was not kept');
        }
      });
      const fromScript = scripted.onStarted(listener);
      return () => {
        fromHost();
        fromScript();
      };
    },
  };
}

function isReceived(answer: unknown): boolean {
  return (
    typeof answer === 'object' &&
    answer !== null &&
    (answer as { received?: unknown }).received === true
  );
}
