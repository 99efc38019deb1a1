import { describe, expect, it } from 'vitest';

import type { CaptureConfig, CaptureStatus, CaptureToWorker } from '@/shared/voice';

import { CaptureHost, IDLE_STATUS, type CaptureChrome } from './host';
import type { TranscriptReceipt } from './protocol';

const ID = 'aadabcheogmbdceegpaeglmlmamgeehc';

const CONFIG: CaptureConfig = {
  vad: {
    startThreshold: 0.6,
    endThreshold: 0.35,
    minSilenceMs: 650,
    minSpeechMs: 200,
    maxSpeechMs: 15_000,
    preRollMs: 500,
  },
  transcription: {
    mode: 'FIXTURE',
    endpoint: null,
    model: 'fixture',
    apiKey: null,
    downloadAllowed: false,
  },
};

type Listener = (
  message: unknown,
  sender: chrome.runtime.MessageSender,
  sendResponse: (response: unknown) => void,
) => unknown;

/** chrome.runtime and chrome.offscreen as the worker sees them, with an offscreen document
 * that answers `capture/status` with `status`. */
function fakeChrome() {
  const listeners = new Set<Listener>();
  const state = {
    open: false,
    created: 0,
    closed: 0,
    sent: [] as { kind: string; [key: string]: unknown }[],
    status: { running: true, queued: 0, modelProgress: null } as CaptureStatus,
  };
  const api = {
    runtime: {
      id: ID,
      getURL: (path: string) => `chrome-extension://${ID}/${path}`,
      getContexts: (filter: chrome.runtime.ContextFilter) => {
        expect(filter.documentUrls).toEqual([`chrome-extension://${ID}/offscreen.html`]);
        return Promise.resolve(state.open ? [{} as chrome.runtime.ExtensionContext] : []);
      },
      sendMessage: (message: { kind: string; target: string }) => {
        expect(message.target).toBe('capture');
        state.sent.push(message);
        if (!state.open) return Promise.reject(new Error('Receiving end does not exist.'));
        return Promise.resolve(message.kind === 'capture/status' ? state.status : undefined);
      },
      onMessage: {
        addListener: (listener: Listener) => listeners.add(listener),
        removeListener: (listener: Listener) => listeners.delete(listener),
      },
    },
    offscreen: {
      createDocument: async (parameters: chrome.offscreen.CreateParameters) => {
        expect(parameters).toMatchObject({ url: 'offscreen.html', reasons: ['USER_MEDIA'] });
        // Creating takes a moment; a second call meanwhile must not create another.
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (state.open) throw new Error('Only a single offscreen document may be created.');
        state.open = true;
        state.created += 1;
      },
      closeDocument: () => {
        state.open = false;
        state.closed += 1;
        return Promise.resolve();
      },
    },
  } as unknown as CaptureChrome;

  /** A message from the offscreen document; resolves with the response, if any. */
  function fromOffscreen(message: CaptureToWorker, senderId = ID): Promise<unknown> {
    return new Promise((resolve) => {
      let async = false;
      for (const listener of listeners) {
        if (listener(message, { id: senderId }, resolve) === true) async = true;
      }
      if (!async) resolve(undefined);
    });
  }

  return { api, state, fromOffscreen, listeners };
}

const transcript = (utteranceId: string): CaptureToWorker => ({
  target: 'worker',
  kind: 'capture/transcript',
  transcript: {
    utteranceId,
    text: 'the music is too loud',
    confidence: 1,
    words: null,
    source: 'fixture',
  },
});

describe('CaptureHost', () => {
  it('opens one offscreen document for USER_MEDIA and starts capture in it', async () => {
    const { api, state } = fakeChrome();
    const host = new CaptureHost(api);
    await Promise.all([host.start(CONFIG), host.start(CONFIG)]);
    expect(state.created).toBe(1);
    expect(state.sent).toEqual([
      { target: 'capture', kind: 'capture/start', config: CONFIG },
      { target: 'capture', kind: 'capture/start', config: CONFIG },
    ]);
  });

  it('sends settings, push-to-talk and stop-utterance to an open document', async () => {
    const { api, state } = fakeChrome();
    const host = new CaptureHost(api);
    await host.start(CONFIG);
    const next = { ...CONFIG, vad: { ...CONFIG.vad, startThreshold: 0.7 } };
    await host.configure(next);
    await host.pushToTalk(true);
    await host.pushToTalk(false);
    await host.stopUtterance();
    expect(state.sent.slice(1)).toEqual([
      { target: 'capture', kind: 'capture/config', config: next },
      { target: 'capture', kind: 'capture/push-to-talk', pressed: true },
      { target: 'capture', kind: 'capture/push-to-talk', pressed: false },
      { target: 'capture', kind: 'capture/stop-utterance' },
    ]);
    expect(await host.status()).toEqual(state.status);
  });

  it('without a document, sends nothing, opens nothing, and reads idle', async () => {
    const { api, state } = fakeChrome();
    const host = new CaptureHost(api);
    await host.configure(CONFIG);
    await host.pushToTalk(true);
    await host.stopUtterance();
    await host.stop();
    expect(await host.status()).toEqual(IDLE_STATUS);
    expect(state.sent).toEqual([]);
    expect(state.created).toBe(0);
  });

  it("hands the document's messages to its listeners, and no one else's", async () => {
    const { api, fromOffscreen } = fakeChrome();
    const host = new CaptureHost(api);
    const heard: CaptureToWorker[] = [];
    const stop = host.onMessage((message) => {
      heard.push(message);
    });
    const start: CaptureToWorker = {
      target: 'worker',
      kind: 'capture/speech-start',
      utteranceId: 'u1',
      onsetAt: 1_700_000_000_000,
    };
    await fromOffscreen(start);
    await fromOffscreen(start, 'another-extension');
    await fromOffscreen({ target: 'capture', kind: 'capture/stop' } as unknown as CaptureToWorker);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(heard).toEqual([start]);
    stop();
    await fromOffscreen(start);
    expect(heard).toHaveLength(1);
  });

  it('receipts a transcript only once its listener has kept it', async () => {
    const { api, fromOffscreen } = fakeChrome();
    const host = new CaptureHost(api);
    let keep: () => void = () => undefined;
    host.onMessage(
      (message) =>
        new Promise<void>((resolve, reject) => {
          if (message.kind !== 'capture/transcript') {
            resolve();
            return;
          }
          keep =
            message.transcript.utteranceId === 'bad' ? () => reject(new Error('full')) : resolve;
        }),
    );
    let answered: unknown = null;
    const answer = fromOffscreen(transcript('u1')).then((response) => (answered = response));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(answered).toBeNull();
    keep();
    await answer;
    expect(answered).toEqual({ received: true } satisfies TranscriptReceipt);

    const refused = fromOffscreen(transcript('bad'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    keep();
    expect(await refused).toEqual({ received: false });
  });

  it('does not receipt a transcript nobody listens to', async () => {
    const { api, fromOffscreen } = fakeChrome();
    new CaptureHost(api);
    expect(await fromOffscreen(transcript('u1'))).toEqual({ received: false });
  });

  it('after stop, keeps the document until its queue is empty, then closes it', async () => {
    const { api, state, fromOffscreen } = fakeChrome();
    const host = new CaptureHost(api);
    await host.start(CONFIG);
    state.status = { running: false, queued: 2, modelProgress: null };
    await host.stop();
    expect(state.sent.at(-2)).toEqual({ target: 'capture', kind: 'capture/stop' });
    expect(state.open).toBe(true);
    await fromOffscreen({
      target: 'worker',
      kind: 'capture/status',
      status: { running: false, queued: 1, modelProgress: null },
    });
    expect(state.open).toBe(true);
    await fromOffscreen({
      target: 'worker',
      kind: 'capture/status',
      status: { running: false, queued: 0, modelProgress: null },
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(state.open).toBe(false);
    expect(state.closed).toBe(1);
  });

  it('does not close a document that is capturing (not stopped by the worker)', async () => {
    const { api, state, fromOffscreen } = fakeChrome();
    const host = new CaptureHost(api);
    await host.start(CONFIG);
    await fromOffscreen({
      target: 'worker',
      kind: 'capture/status',
      status: { running: false, queued: 0, modelProgress: null },
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(state.open).toBe(true);
  });

  it('restart reopens a closed document with the last settings, or restarts an open one', async () => {
    const { api, state } = fakeChrome();
    const host = new CaptureHost(api);
    await host.start(CONFIG);
    await host.restart();
    expect(state.sent.at(-1)).toEqual({ target: 'capture', kind: 'capture/restart' });
    // Chrome closed the document (or it crashed).
    state.open = false;
    await host.restart();
    expect(state.created).toBe(2);
    expect(state.sent.at(-1)).toEqual({ target: 'capture', kind: 'capture/start', config: CONFIG });
  });
});
