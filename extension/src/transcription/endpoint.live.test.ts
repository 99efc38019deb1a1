// @vitest-environment node
// The endpoint transcriber against a real recogniser: the test harness's faster-whisper server
// (tests/speech/server.py) on speech that espeak-ng makes here. Runs only when
// LOSSY_SPEECH_ENDPOINT names the server's base URL (`http://127.0.0.1:PORT/v1`), as
// tests/speech/run.sh does; LOSSY_SPEECH_API_KEY is the key that server was started with.
// Needs espeak-ng and sox (scripts/ensure-debian-packages.sh installs them).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type { TranscriptionConfig } from '@/shared/voice';

import { createEndpointTranscriber } from './endpoint';
import { normaliseTranscript } from './text';
import { TranscriptionError } from './types';
import { decodeWav } from './wav';

const endpoint = process.env.LOSSY_SPEECH_ENDPOINT;
const apiKey = process.env.LOSSY_SPEECH_API_KEY ?? null;
const work = mkdtempSync(path.join(tmpdir(), 'lossy-speech-'));

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** `text` spoken by espeak-ng, as a 16 kHz mono 16-bit WAV with a little silence around it.
 * (Whisper-base hears espeak's "late" as "rate", so the sentences avoid it.) */
function speak(text: string, name: string): ArrayBuffer {
  const raw = path.join(work, `${name}.raw.wav`);
  const wav = path.join(work, `${name}.wav`);
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', raw, text]);
  execFileSync('sox', [raw, '-r', '16000', '-c', '1', '-b', '16', wav, 'pad', '0.3', '0.3']);
  const bytes = readFileSync(wav);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}']+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

/** Word error rate: the word-level edit distance over the reference's length. */
function wordErrorRate(reference: string, hypothesis: string): number {
  const ref = words(reference);
  const hyp = words(hypothesis);
  let row = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const next = [i];
    for (let j = 1; j <= hyp.length; j++) {
      const substitution = (row[j - 1] ?? 0) + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      next.push(Math.min(substitution, (row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1));
    }
    row = next;
  }
  return (row[hyp.length] ?? 0) / Math.max(1, ref.length);
}

const config = (overrides: Partial<TranscriptionConfig> = {}): TranscriptionConfig => ({
  mode: 'ENDPOINT',
  endpoint: endpoint ?? null,
  model: 'whisper-base',
  apiKey,
  downloadAllowed: false,
  ...overrides,
});
const options = () => ({ utteranceId: crypto.randomUUID(), signal: new AbortController().signal });

describe.skipIf(!endpoint)('the endpoint transcriber against a real recogniser', () => {
  it('hears what was said, and the same as the server given the file directly', async () => {
    const sentence = 'The colors in this shot look far too warm.';
    const wav = speak(sentence, 'warm');

    const form = new FormData();
    form.append('file', new Blob([wav], { type: 'audio/wav' }), 'speech.wav');
    form.append('model', 'whisper-base');
    const response = await fetch(`${endpoint ?? ''}/audio/transcriptions`, {
      method: 'POST',
      body: form,
      headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : {},
    });
    expect(response.status).toBe(200);
    const direct = ((await response.json()) as { text: string }).text;
    console.log(`said "${sentence}", the server heard "${direct}"`);
    expect(wordErrorRate(sentence, direct)).toBeLessThan(0.25);

    const { samples, sampleRate } = decodeWav(wav);
    expect(sampleRate).toBe(16_000);
    const result = await createEndpointTranscriber(config()).transcribe(samples, options());
    expect(result.text).toBe(normaliseTranscript(direct));
    expect(result.words).toBeNull();
  });

  it('hears nothing in silence: an empty text, not an error', async () => {
    const silence = new Float32Array(16_000 * 1.5);
    const result = await createEndpointTranscriber(config()).transcribe(silence, options());
    expect(result).toEqual({ text: '', confidence: null, words: null });
  });

  it.skipIf(!apiKey)('a wrong API key fails for good', async () => {
    const err = await createEndpointTranscriber(config({ apiKey: 'not-the-key' }))
      .transcribe(new Float32Array(16_000), options())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TranscriptionError);
    expect((err as TranscriptionError).retryable).toBe(false);
    expect((err as TranscriptionError).message).toMatch(/401.*API key/);
  });

  it('a failing server is worth another try, and the next try is answered', async () => {
    const origin = new URL(endpoint ?? '').origin;
    const told = await fetch(`${origin}/_test/fail?status=503&count=1`, { method: 'POST' });
    expect(told.status).toBe(200);
    const transcriber = createEndpointTranscriber(config());
    const sentence = 'The music is much too loud here.';
    const audio = decodeWav(speak(sentence, 'loud')).samples;
    const err = await transcriber.transcribe(audio, options()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TranscriptionError);
    expect((err as TranscriptionError).retryable).toBe(true);
    expect((err as TranscriptionError).message).toContain('503');
    const again = await transcriber.transcribe(audio, options());
    expect(wordErrorRate(sentence, again.text)).toBeLessThan(0.25);
  });
});
