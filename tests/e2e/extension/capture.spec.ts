// Capture in the real offscreen document: Chromium's fake microphone plays a WAV made here
// with espeak-ng and sox (silence, a sentence, a pause, another sentence, silence), once; the
// real Silero VAD (vad-web, onnxruntime's WebAssembly from the extension) finds the two
// utterances; their onsets are the sentences' onsets; their 16 kHz audio is in IndexedDB
// before the speech end is announced, kept while transcription fails, and forgotten once the
// worker has taken the transcript, also by the next offscreen document when the one that
// made it was closed first. The test plays the worker's part from the service worker
// (`chrome.offscreen`, `WorkerToCapture` messages), with the fixture transcriber. Also: the
// microphone page, granted and blocked, with axe; and a blocked microphone as capture's
// `MIC_DENIED`; push-to-talk and stop-utterance through the same messages. No Lossy server
// is needed.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { expect, test, type Page, type Worker } from '@playwright/test';

import { launchExtension, type ExtensionBrowser } from '../rig/extension';
import { expectAccessible } from '../rig/fixtures';

const FIRST = 'The music is far too loud in this scene.';
const SECOND = 'Cut to the close up a little earlier.';
const LEAD_S = 1.5;
const GAP_S = 2.5;
const TAIL_S = 2;
/** The capture's frame: Silero v5 takes 512 samples at 16 kHz. */
const FRAME_MS = 32;

const VAD = {
  startThreshold: 0.6,
  endThreshold: 0.35,
  minSilenceMs: 650,
  minSpeechMs: 200,
  maxSpeechMs: 15_000,
  preRollMs: 500,
};

const fixture = (model: string) => ({
  vad: VAD,
  transcription: { mode: 'FIXTURE', endpoint: null, model, apiKey: null, downloadAllowed: false },
});

interface Speech {
  wav: string;
  /** Where each sentence's speech starts in the file, and how long it lasts (seconds). */
  onsets: [number, number];
  durations: [number, number];
  cleanup(): void;
}

/** Two spoken sentences laid out at known times, 16 kHz mono. */
function makeSpeech(): Speech {
  const dir = mkdtempSync(path.join(tmpdir(), 'lossy-capture-'));
  const sentence = (text: string, name: string): [string, number] => {
    const raw = path.join(dir, `${name}-raw.wav`);
    const trimmed = path.join(dir, `${name}.wav`);
    execFileSync('espeak-ng', ['-w', raw, text]);
    // 16 kHz mono, without espeak's own leading and trailing silence, so the sentence's
    // speech starts exactly where it is placed.
    execFileSync('sox', [
      raw,
      '-r',
      '16000',
      '-c',
      '1',
      trimmed,
      ...['silence', '1', '0.02', '1%', 'reverse', 'silence', '1', '0.02', '1%', 'reverse'],
    ]);
    const seconds = Number(execFileSync('soxi', ['-D', trimmed], { encoding: 'utf8' }).trim());
    return [trimmed, seconds];
  };
  const [first, d1] = sentence(FIRST, 'first');
  const [second, d2] = sentence(SECOND, 'second');
  const padded = path.join(dir, 'first-padded.wav');
  execFileSync('sox', [first, padded, 'pad', String(LEAD_S), String(GAP_S)]);
  const wav = path.join(dir, 'speech.wav');
  execFileSync('sox', [padded, second, wav, 'pad', '0', String(TAIL_S)]);
  return {
    wav,
    onsets: [LEAD_S, LEAD_S + d1 + GAP_S],
    durations: [d1, d2],
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// What the test uses of the extension APIs inside the service worker (the e2e project has no
// Chrome types).
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
    closeDocument(): Promise<void>;
  };
}

interface Heard {
  target?: string;
  kind: string;
  /** When the worker heard it (epoch ms). */
  heardAt: number;
  utteranceId?: string;
  onsetAt?: number;
  durationMs?: number;
  reason?: string;
  code?: string;
  message?: string;
  transcript?: { utteranceId: string; text: string; source: string };
  status?: { running: boolean; queued: number };
}

interface Kept {
  utteranceId: string;
  state: string;
  durationMs: number;
  samples: number;
  /** RMS of the audio's first 400 ms (the pre-roll, before the onset) and of the rest. */
  preRollRms: number;
  speechRms: number;
}

/** Listens as the worker's capture host would: records every capture message, and takes
 * transcripts (receipt `received: true`) unless told not to (`receipts(worker, false)`). */
async function listen(worker: Worker): Promise<void> {
  await worker.evaluate(() => {
    const scope = globalThis as unknown as { chrome: Chrome; heard: Heard[]; receipts: boolean };
    scope.heard = [];
    scope.receipts = true;
    scope.chrome.runtime.onMessage.addListener((message, _sender, respond) => {
      if (message.target !== 'worker') return undefined;
      scope.heard.push({ ...message, heardAt: Date.now() });
      if (message.kind === 'capture/transcript') respond({ received: scope.receipts });
      return undefined;
    });
  });
}

async function receipts(worker: Worker, given: boolean): Promise<void> {
  await worker.evaluate((given) => {
    (globalThis as unknown as { receipts: boolean }).receipts = given;
  }, given);
}

function heard(worker: Worker, kind?: string): Promise<Heard[]> {
  return worker.evaluate(
    (kind) =>
      (globalThis as unknown as { heard: Heard[] }).heard.filter(
        (message) => message.kind !== 'capture/level' && (!kind || message.kind === kind),
      ),
    kind,
  );
}

async function toCapture(worker: Worker, message: Record<string, unknown>): Promise<void> {
  await worker.evaluate(async (message) => {
    const { chrome } = globalThis as unknown as { chrome: Chrome };
    await chrome.runtime.sendMessage({ target: 'capture', ...message });
  }, message);
}

async function openOffscreen(worker: Worker): Promise<void> {
  await worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: Chrome };
    await chrome.offscreen.createDocument({
      url: 'offscreen.html',
      reasons: ['USER_MEDIA'],
      justification: 'capture test',
    });
  });
}

async function closeOffscreen(worker: Worker): Promise<void> {
  await worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: Chrome };
    await chrome.offscreen.closeDocument();
  });
}

/** What IndexedDB (`lossy-utterances`) keeps, read from the worker (same origin). */
function keptUtterances(worker: Worker): Promise<Kept[]> {
  return worker.evaluate(
    () =>
      new Promise<Kept[]>((resolve, reject) => {
        const request = indexedDB.open('lossy-utterances');
        request.onerror = () => reject(new Error(String(request.error)));
        request.onsuccess = () => {
          const db = request.result;
          const tx = db.transaction(['utterances', 'audio']);
          const rms = (samples: Float32Array) => {
            let sum = 0;
            for (const sample of samples) sum += sample * sample;
            return Math.sqrt(sum / Math.max(1, samples.length));
          };
          const kept: Kept[] = [];
          const rows = tx.objectStore('utterances').getAll();
          rows.onsuccess = () => {
            for (const row of rows.result as Omit<Kept, 'samples'>[]) {
              const audio = tx.objectStore('audio').get(row.utteranceId);
              audio.onsuccess = () => {
                const samples = (audio.result as Float32Array | undefined) ?? new Float32Array();
                kept.push({
                  utteranceId: row.utteranceId,
                  state: row.state,
                  durationMs: row.durationMs,
                  samples: samples.length,
                  preRollRms: rms(samples.subarray(0, 6_400)),
                  speechRms: rms(samples.subarray(8_000)),
                });
              };
            }
          };
          tx.oncomplete = () => {
            db.close();
            resolve(kept);
          };
        };
      }),
  );
}

async function openMicrophonePage(browser: ExtensionBrowser): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/microphone.html`);
  await expect(page.getByRole('heading', { name: 'Lossy needs your microphone' })).toBeVisible();
  return page;
}

test.describe('with a microphone that says two sentences', () => {
  let speech: Speech;
  let browser: ExtensionBrowser;

  test.beforeAll(() => {
    speech = makeSpeech();
  });

  test.afterAll(() => {
    speech.cleanup();
  });

  test.beforeEach(async () => {
    browser = await launchExtension({
      args: [
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${speech.wav}%noloop`,
      ],
    });
  });

  test.afterEach(async () => {
    await browser.close();
  });

  test("two utterances at the sentences' onsets, kept in IndexedDB until transcribed", async () => {
    test.setTimeout(90_000);
    const { worker } = browser;
    await listen(worker);
    await openOffscreen(worker);
    // Every transcription fails (and is not retryable): the audio must stay.
    await toCapture(worker, { kind: 'capture/start', config: fixture('fixture:!fail') });

    await expect
      .poll(async () => (await heard(worker, 'capture/transcript-failed')).length, {
        timeout: 45_000,
      })
      .toBe(2);
    const messages = await heard(worker);
    const started = messages.find((message) => message.kind === 'capture/started');
    expect(started, JSON.stringify(messages)).toBeDefined();
    const starts = messages.filter((message) => message.kind === 'capture/speech-start');
    const ends = messages.filter((message) => message.kind === 'capture/speech-end');
    expect(starts, JSON.stringify(messages)).toHaveLength(2);
    expect(ends).toHaveLength(2);
    expect(messages.filter((message) => message.kind === 'capture/error')).toEqual([]);

    const [onset1, onset2] = starts.map((start) => start.onsetAt ?? Number.NaN) as [number, number];
    // The file starts playing when the microphone opens, a little before capture reports it
    // started (the worklet loads in between): the first onset is the file's, give or take.
    const first = (onset1 - (started?.heardAt ?? 0)) / 1000;
    expect(first).toBeGreaterThan(speech.onsets[0] - 0.6);
    expect(first).toBeLessThan(speech.onsets[0] + 0.25);
    // Between the two, the file's own distance: both are dated from the audio's frames.
    const between = (onset2 - onset1) / 1000;
    expect(Math.abs(between - (speech.onsets[1] - speech.onsets[0]))).toBeLessThan(0.15);
    // An onset is the first speech frame's start: a whole frame before the VAD could decide
    // on that frame (less a millisecond or two, the two contexts' clocks' rounding).
    for (const start of starts) {
      expect(start.heardAt - (start.onsetAt ?? 0)).toBeGreaterThanOrEqual(FRAME_MS - 2);
    }

    ends.forEach((end, i) => {
      expect(end.utteranceId).toBe(starts[i]?.utteranceId);
      expect(end.reason).toBe('SILENCE');
      expect(Math.abs((end.durationMs ?? 0) / 1000 - speech.durations[i]!)).toBeLessThan(0.25);
    });
    // Each audio was stored before its speech end was sent: the queue's status counted it.
    const statuses = messages.filter((message) => message.kind === 'capture/status');
    expect(statuses.some((message) => (message.status?.queued ?? 0) > 0)).toBe(true);

    const kept = await keptUtterances(worker);
    expect(kept.map((row) => [row.utteranceId, row.state])).toEqual(
      starts.map((start) => [start.utteranceId, 'failed']),
    );
    kept.forEach((row) => {
      // 16 kHz: the pre-roll (500 ms), the speech and a short tail (250 ms at most).
      const seconds = row.samples / 16_000;
      const expected = row.durationMs / 1000 + VAD.preRollMs / 1000;
      expect(seconds).toBeGreaterThan(expected - 0.1);
      expect(seconds).toBeLessThan(expected + 0.35);
      // Silence before the onset, speech after.
      expect(row.speechRms).toBeGreaterThan(0.02);
      expect(row.preRollRms).toBeLessThan(row.speechRms / 5);
    });

    // Capture started again with a transcriber that answers: the failed utterances are
    // transcribed in order, handed to the worker, and forgotten.
    await toCapture(worker, {
      kind: 'capture/start',
      config: fixture('fixture:the music is too loud|cut to the close up earlier'),
    });
    await expect
      .poll(async () => (await heard(worker, 'capture/transcript')).length, { timeout: 20_000 })
      .toBe(2);
    const transcripts = (await heard(worker, 'capture/transcript')).map(
      (message) => message.transcript,
    );
    expect(transcripts.map((transcript) => transcript?.utteranceId)).toEqual(
      starts.map((start) => start.utteranceId),
    );
    expect(transcripts.map((transcript) => transcript?.text)).toEqual([
      'the music is too loud',
      'cut to the close up earlier',
    ]);
    expect(transcripts.every((transcript) => transcript?.source === 'fixture')).toBe(true);
    await expect.poll(() => keptUtterances(worker)).toEqual([]);

    // The file has ended: push-to-talk makes an utterance of the silence, from the press to
    // the release; the server's stop-utterance ends another one.
    const count = async (kind: string) => (await heard(worker, kind)).length;
    await toCapture(worker, { kind: 'capture/push-to-talk', pressed: true });
    await expect.poll(() => count('capture/speech-start')).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await toCapture(worker, { kind: 'capture/push-to-talk', pressed: false });
    await expect.poll(() => count('capture/speech-end')).toBe(3);
    await toCapture(worker, { kind: 'capture/push-to-talk', pressed: true });
    await expect.poll(() => count('capture/speech-start')).toBe(4);
    await toCapture(worker, { kind: 'capture/stop-utterance' });
    await expect.poll(() => count('capture/speech-end')).toBe(4);
    const [pushed, stopped] = (await heard(worker, 'capture/speech-end')).slice(2);
    expect(pushed?.reason).toBe('PUSH_TO_TALK_RELEASE');
    expect(pushed?.durationMs).toBeGreaterThanOrEqual(550);
    expect(stopped?.reason).toBe('STOP_UTTERANCE');
    // Transcribed and handed over like any other.
    await expect.poll(() => count('capture/transcript')).toBe(4);
    await expect.poll(() => keptUtterances(worker)).toEqual([]);

    // A transcript the worker does not take stays, with its audio, through the offscreen
    // document closing; the next document hands it over by itself.
    await receipts(worker, false);
    await toCapture(worker, { kind: 'capture/push-to-talk', pressed: true });
    await expect.poll(() => count('capture/speech-start')).toBe(5);
    await toCapture(worker, { kind: 'capture/push-to-talk', pressed: false });
    await expect.poll(() => count('capture/transcript')).toBeGreaterThan(4);
    const [waiting] = await keptUtterances(worker);
    expect(waiting?.state).toBe('transcribed');
    expect(waiting?.samples).toBeGreaterThan(0);

    await toCapture(worker, { kind: 'capture/stop' });
    await expect
      .poll(async () => (await heard(worker, 'capture/status')).at(-1)?.status?.running)
      .toBe(false);
    await closeOffscreen(worker);
    await receipts(worker, true);
    const offered = await count('capture/transcript');
    await openOffscreen(worker);
    await expect.poll(() => count('capture/transcript')).toBeGreaterThan(offered);
    const last = (await heard(worker, 'capture/transcript')).at(-1)?.transcript;
    expect(last?.utteranceId).toBe(waiting?.utteranceId);
    await expect.poll(() => keptUtterances(worker)).toEqual([]);
  });
});

test('the microphone page explains, asks once on a key press, and says it is allowed', async () => {
  // Chromium answers its prompt "allow" by itself (without keeping the grant, so the page
  // starts from "never asked").
  const browser = await launchExtension({
    args: ['--use-fake-device-for-media-stream', '--auto-accept-camera-and-microphone-capture'],
  });
  try {
    const page = await openMicrophonePage(browser);
    await expect(page.getByText(/goes only to the transcriber chosen/)).toBeVisible();
    await expectAccessible(page);
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Allow the microphone' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'The microphone is allowed' })).toBeFocused();
    await expectAccessible(page);
  } finally {
    await browser.close();
  }
});

test('a blocked microphone: the page says how to allow it, and capture reports MIC_DENIED', async () => {
  const browser = await launchExtension({
    args: ['--use-fake-device-for-media-stream', '--deny-permission-prompts'],
  });
  try {
    const page = await openMicrophonePage(browser);
    await page.getByRole('button', { name: 'Allow the microphone' }).click();
    await expect(
      page.getByRole('heading', { name: 'The microphone is blocked for Lossy' }),
    ).toBeFocused();
    await expect(
      page.getByRole('button', { name: "Open Chrome's settings for Lossy" }),
    ).toBeVisible();
    await expectAccessible(page);

    const { worker } = browser;
    await listen(worker);
    await openOffscreen(worker);
    await toCapture(worker, { kind: 'capture/start', config: fixture('fixture') });
    await expect
      .poll(async () => (await heard(worker, 'capture/error')).map((error) => error.code), {
        timeout: 30_000,
      })
      .toEqual(['MIC_DENIED']);
    expect(await heard(worker, 'capture/started')).toEqual([]);
  } finally {
    await browser.close();
  }
});
