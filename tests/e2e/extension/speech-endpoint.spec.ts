// The real recogniser the voice tests put behind the extension's transcription endpoint
// (rig/speech.ts): tests/speech/server.py (faster-whisper, Whisper-base from PyPI) started on a
// free port, and two sentences spoken by espeak-ng with a pause between them, as the fake
// microphone will play them. No browser: this checks the rig the voice specs stand on. The
// extension's own endpoint transcriber against this server is
// extension/src/transcription/endpoint.live.test.ts (tests/speech/run.sh).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { expect, test } from '@playwright/test';

import {
  speak,
  startSpeechServer,
  transcribeFile,
  wordErrorRate,
  type SpeechServer,
} from '../rig/speech';

const FIRST = 'The colors in this shot look far too warm.';
const SECOND = 'The music is much too loud here.';
const KEY = `lossy-e2e-${Date.now()}`;

let server: SpeechServer;
let dir: string;

test.beforeAll(async () => {
  // The first run on a machine installs the virtualenv (scripts/speech-env.sh).
  test.setTimeout(300_000);
  dir = mkdtempSync(path.join(tmpdir(), 'lossy-speech-'));
  server = await startSpeechServer({ apiKey: KEY });
});

test.afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('word error rate counts substitutions, insertions and deletions over the reference', () => {
  expect(wordErrorRate('The cut is late.', 'the cut is late')).toBe(0);
  expect(wordErrorRate('The cut is late.', 'The cut is rate.')).toBe(0.25);
  expect(wordErrorRate('the cut is late', 'the cut late')).toBe(0.25);
  expect(wordErrorRate('the cut is late', 'so the cut is late now')).toBe(0.5);
});

test('two spoken notes with a pause come back close to what was said', async () => {
  const script = speak(dir, [FIRST, SECOND], { leadS: 1.5, gapS: 2.5, tailS: 2 });
  const [d1, d2] = script.durations;
  expect(d1).toBeGreaterThan(1);
  expect(d2).toBeGreaterThan(1);
  expect(script.onsets).toEqual([1.5, 1.5 + (d1 ?? 0) + 2.5]);
  expect(script.seconds).toBeCloseTo(1.5 + (d1 ?? 0) + 2.5 + (d2 ?? 0) + 2, 2);

  const heard = await transcribeFile(server.endpoint, script.wav, { apiKey: KEY });
  console.log(`said "${FIRST} ${SECOND}", heard "${heard}"`);
  expect(wordErrorRate(`${FIRST} ${SECOND}`, heard)).toBeLessThan(0.25);
});

test('the server refuses a wrong key, fails when told to, and hears nothing in silence', async () => {
  const silence = speak(dir, [], { leadS: 1, tailS: 1 });
  await expect(transcribeFile(server.endpoint, silence.wav, { apiKey: 'wrong' })).rejects.toThrow(
    /401/,
  );
  await server.failNext(503);
  await expect(transcribeFile(server.endpoint, silence.wav, { apiKey: KEY })).rejects.toThrow(
    /503/,
  );
  expect(await transcribeFile(server.endpoint, silence.wav, { apiKey: KEY })).toBe('');
});
