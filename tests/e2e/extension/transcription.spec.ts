// Transcription in the real offscreen document (the extension's `src/transcription/`, run by the
// capture's queue): Chromium's fake microphone says one sentence (espeak-ng), the real VAD
// makes an utterance of it, and
//   - ENDPOINT: the test harness's faster-whisper server (rig/speech.ts), called from the
//     extension page with an API key, hears close to what was said;
//   - ON_DEVICE without the reviewer's consent: transformers.js loads from the extension, the
//     model is not in the cache, and the download is refused: the utterance fails for good
//     with a message asking for consent, and nothing tries to leave the machine.
// Playwright's routing does not see an offscreen document's requests, so the host resolver
// sends every outside name to a local listener that notes the name each connection asks for
// (the SNI of a TLS hello is plain text; Chromium's own calls home show up there too) and
// closes it. A download attempt, with consent, is seen there: checked by hand.
// The test plays the worker's part from the service worker, as capture.spec.ts does.

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { expect, test, type Worker } from '@playwright/test';

import { launchExtension, type ExtensionBrowser } from '../rig/extension';
import {
  speak,
  startSpeechServer,
  wordErrorRate,
  type SpeechServer,
  type SpokenScript,
} from '../rig/speech';

const SENTENCE = 'The colors in this shot look far too warm.';
const KEY = `lossy-e2e-${Date.now()}`;

const VAD = {
  startThreshold: 0.6,
  endThreshold: 0.35,
  minSilenceMs: 650,
  minSpeechMs: 200,
  maxSpeechMs: 15_000,
  preRollMs: 500,
};

interface Heard {
  target?: string;
  kind: string;
  message?: string;
  utteranceId?: string;
  transcript?: { utteranceId: string; text: string; source: string };
}

interface Chrome {
  runtime: {
    onMessage: {
      addListener(
        listener: (message: Heard, sender: unknown, respond: (answer: unknown) => void) => unknown,
      ): void;
    };
    sendMessage(message: unknown): Promise<unknown>;
  };
  offscreen: {
    createDocument(parameters: {
      url: string;
      reasons: string[];
      justification: string;
    }): Promise<void>;
  };
}

/** Opens the offscreen document and starts capture with `transcription`; the worker's side
 * records every capture message and takes transcripts. */
async function startCapture(worker: Worker, transcription: Record<string, unknown>) {
  await worker.evaluate(
    async ({ vad, transcription }) => {
      const scope = globalThis as unknown as { chrome: Chrome; heard: Heard[] };
      scope.heard = [];
      scope.chrome.runtime.onMessage.addListener((message, _sender, respond) => {
        if (message.target !== 'worker' || message.kind === 'capture/level') return undefined;
        scope.heard.push(message);
        if (message.kind === 'capture/transcript') respond({ received: true });
        return undefined;
      });
      await scope.chrome.offscreen.createDocument({
        url: 'offscreen.html',
        reasons: ['USER_MEDIA'],
        justification: 'transcription test',
      });
      await scope.chrome.runtime.sendMessage({
        target: 'capture',
        kind: 'capture/start',
        config: { vad, transcription },
      });
    },
    { vad: VAD, transcription },
  );
}

function heard(worker: Worker, kind: string): Promise<Heard[]> {
  return worker.evaluate(
    (kind) => (globalThis as unknown as { heard: Heard[] }).heard.filter((m) => m.kind === kind),
    kind,
  );
}

let dir: string;
let speech: SpokenScript;
let recogniser: SpeechServer;
let browser: ExtensionBrowser;
/** Where every outside name resolves; keeps the start of what each connection sent. */
let outside: { server: Server; port: number; openings: string[] };
/** What the model hub or a CDN would be asked for. */
const HUB_OR_CDN = /huggingface\.co|hf\.co|jsdelivr|unpkg|cdnjs/;

test.beforeAll(async () => {
  // The first run on a machine installs the speech virtualenv (scripts/speech-env.sh).
  test.setTimeout(300_000);
  dir = mkdtempSync(path.join(tmpdir(), 'lossy-transcription-'));
  speech = speak(dir, [SENTENCE], { leadS: 1, tailS: 2 });
  recogniser = await startSpeechServer({ apiKey: KEY });
  const server = createServer((socket) => {
    socket.once('data', (data) => {
      outside.openings.push(data.toString('latin1').replace(/[^\x20-\x7e]+/g, ' '));
      socket.destroy();
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  outside = { server, port: (server.address() as AddressInfo).port, openings: [] };
});

test.afterAll(async () => {
  await recogniser.stop();
  await new Promise((resolve) => outside.server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

test.beforeEach(async () => {
  browser = await launchExtension({
    args: [
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${speech.wav}%noloop`,
      `--host-resolver-rules=MAP * 127.0.0.1:${outside.port}, EXCLUDE 127.0.0.1, EXCLUDE localhost`,
    ],
  });
  outside.openings = [];
});

test.afterEach(async () => {
  await browser.close();
});

test('ENDPOINT: the real recogniser behind the endpoint hears the spoken sentence', async () => {
  test.setTimeout(90_000);
  const { worker } = browser;
  await startCapture(worker, {
    mode: 'ENDPOINT',
    endpoint: recogniser.endpoint,
    model: 'whisper-base',
    apiKey: KEY,
    downloadAllowed: false,
  });
  await expect
    .poll(async () => (await heard(worker, 'capture/transcript')).length, { timeout: 45_000 })
    .toBe(1);
  const [{ transcript } = {}] = await heard(worker, 'capture/transcript');
  const [start] = await heard(worker, 'capture/speech-start');
  console.log(`said "${SENTENCE}", the extension got "${transcript?.text ?? ''}"`);
  expect(transcript?.utteranceId).toBe(start?.utteranceId);
  expect(transcript?.source).toBe('whisper-endpoint');
  expect(wordErrorRate(SENTENCE, transcript?.text ?? '')).toBeLessThan(0.25);
  expect(await heard(worker, 'capture/transcript-failed')).toEqual([]);
  expect(outside.openings.filter((opening) => HUB_OR_CDN.test(opening))).toEqual([]);
});

test('ON_DEVICE without consent: the model is not downloaded, and the utterance fails asking for it', async () => {
  test.setTimeout(90_000);
  const { worker } = browser;
  await startCapture(worker, {
    mode: 'ON_DEVICE',
    endpoint: null,
    model: 'whisper-base.en',
    apiKey: null,
    downloadAllowed: false,
  });
  await expect
    .poll(async () => (await heard(worker, 'capture/transcript-failed')).length, {
      timeout: 45_000,
    })
    .toBe(1);
  const [failed] = await heard(worker, 'capture/transcript-failed');
  expect(failed?.message).toMatch(/must agree to download/);
  expect(await heard(worker, 'capture/transcript')).toEqual([]);
  expect(outside.openings.filter((opening) => HUB_OR_CDN.test(opening))).toEqual([]);
});
