// @vitest-environment node
// (Node's own fetch, FormData and Blob, as the browser has them; jsdom's FormData is not
// fetch's.) The endpoint is a boundary we do not own: a fake `fetch` plays it.

import { afterEach, describe, expect, it, vi } from 'vitest';

import type { TranscriptionConfig } from '@/shared/voice';

import { createEndpointTranscriber, requestTimeoutMs, transcriptionsUrl } from './endpoint';
import { TranscriptionError } from './types';
import { decodeWav } from './wav';

const CONFIG: TranscriptionConfig = {
  mode: 'ENDPOINT',
  endpoint: 'http://127.0.0.1:8000/v1/',
  model: 'whisper-1',
  apiKey: null,
  downloadAllowed: false,
};

/** One second of a quiet tone. */
const AUDIO = Float32Array.from({ length: 16_000 }, (_, i) => 0.25 * Math.sin(i / 5));

interface Sent {
  url: string;
  init: RequestInit;
  form: FormData;
}

function endpoint(answer: (sent: Sent) => Response | Promise<Response>) {
  const sent: Sent[] = [];
  const fetch = vi.fn((input: string, init?: RequestInit) => {
    const call = { url: input, init: init ?? {}, form: init?.body as FormData };
    sent.push(call);
    return Promise.resolve(answer(call));
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, sent };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function transcribe(
  fake: { fetch: typeof fetch },
  config: Partial<TranscriptionConfig> = {},
  signal = new AbortController().signal,
) {
  return createEndpointTranscriber({ ...CONFIG, ...config }, fake).transcribe(AUDIO, {
    utteranceId: 'u-1',
    signal,
  });
}

async function failure(promise: Promise<unknown>): Promise<TranscriptionError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TranscriptionError);
  return err as TranscriptionError;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the request', () => {
  it('posts the utterance as a 16 kHz mono WAV with the model and response_format=json', async () => {
    const fake = endpoint(() => json({ text: ' The music is too loud. ' }));
    const result = await transcribe(fake);

    expect(result).toEqual({ text: 'The music is too loud.', confidence: null, words: null });
    expect(fake.sent).toHaveLength(1);
    const [{ url, init, form }] = fake.sent as [Sent];
    expect(url).toBe('http://127.0.0.1:8000/v1/audio/transcriptions');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('omit');
    expect(form.get('model')).toBe('whisper-1');
    expect(form.get('response_format')).toBe('json');
    const file = form.get('file') as File;
    expect(file.name).toBe('utterance.wav');
    expect(file.type).toBe('audio/wav');
    const wav = decodeWav(await file.arrayBuffer());
    expect(wav.sampleRate).toBe(16_000);
    expect(wav.samples).toHaveLength(AUDIO.length);
    expect(wav.samples[5]).toBeCloseTo(AUDIO[5] ?? NaN, 4);
  });

  it('sends the API key as a bearer token only when one is set', async () => {
    const fake = endpoint(() => json({ text: 'ok' }));
    await transcribe(fake);
    await transcribe(fake, { apiKey: 'sk-device-only' });
    const headers = fake.sent.map(({ init }) => new Headers(init.headers).get('Authorization'));
    expect(headers).toEqual([null, 'Bearer sk-device-only']);
  });

  it('builds the address from the base URL with or without a trailing slash', () => {
    expect(transcriptionsUrl('https://api.openai.com/v1')).toBe(
      'https://api.openai.com/v1/audio/transcriptions',
    );
    expect(transcriptionsUrl(' http://192.168.1.20:9000/ ')).toBe(
      'http://192.168.1.20:9000/audio/transcriptions',
    );
  });

  it('refuses, without a request, a missing endpoint or one that is not http(s)', async () => {
    const fake = endpoint(() => json({ text: 'never' }));
    for (const bad of [null, '', 'ftp://host/v1', 'not a url']) {
      const err = await failure(transcribe(fake, { endpoint: bad }));
      expect(err.retryable).toBe(false);
    }
    expect(fake.sent).toHaveLength(0);
  });
});

describe('the answer', () => {
  it('is an empty text, not an error, when the recogniser heard no words', async () => {
    for (const text of ['', '  ', '[BLANK_AUDIO]']) {
      const result = await transcribe(endpoint(() => json({ text })));
      expect(result).toEqual({ text: '', confidence: null, words: null });
    }
  });

  it("reads verbose_json's word timings and segment log-probabilities when a server adds them", async () => {
    const fake = endpoint(() =>
      json({
        text: 'too loud',
        words: [
          { word: ' too', start: 0.1, end: 0.42 },
          { word: ' loud', start: 0.42, end: 0.9 },
        ],
        segments: [{ avg_logprob: Math.log(0.8) }, { avg_logprob: Math.log(0.6) }],
      }),
    );
    const result = await transcribe(fake);
    expect(result.words).toEqual([
      { word: 'too', startMs: 100, endMs: 420 },
      { word: 'loud', startMs: 420, endMs: 900 },
    ]);
    expect(result.confidence).toBeCloseTo(Math.sqrt(0.8 * 0.6), 6);
  });

  it('ignores malformed extra fields', async () => {
    const fake = endpoint(() =>
      json({ text: 'late', words: [{ word: 'late', start: 2, end: 1 }], segments: [{}] }),
    );
    expect(await transcribe(fake)).toEqual({ text: 'late', confidence: null, words: null });
  });

  it('fails for good on an answer that is not JSON, or JSON without a text', async () => {
    for (const body of [
      new Response('<html>proxy login</html>', { status: 200 }),
      json({ transcript: 'the cut is late' }),
      json({ text: 42 }),
      json(['the cut is late']),
    ]) {
      const err = await failure(transcribe(endpoint(() => body)));
      expect(err.retryable).toBe(false);
      expect(err.message).toMatch(/not JSON|without a "text"/);
    }
  });
});

describe('statuses', () => {
  it.each([
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [413, false],
    [422, false],
    [408, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
  ])('%i is retryable: %s', async (status, retryable) => {
    const err = await failure(
      transcribe(endpoint(() => json({ error: { message: `said ${status}` } }, status))),
    );
    expect(err.retryable).toBe(retryable);
    expect(err.message).toContain(String(status));
    expect(err.message).toContain(`said ${status}`);
  });

  it('names the API key on 401 and quotes a plain-text error body', async () => {
    const err = await failure(
      transcribe(endpoint(() => new Response('Invalid API key', { status: 401 }))),
    );
    expect(err.message).toMatch(/API key/);
    expect(err.message).toContain('Invalid API key');
  });
});

describe('network, time-out and cancelling', () => {
  it('a refused connection is retryable and says where it tried', async () => {
    const fake = endpoint(() => Promise.reject(new TypeError('Failed to fetch')));
    const err = await failure(transcribe(fake));
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('http://127.0.0.1:8000');
  });

  /** An endpoint that never answers, until the request is aborted. */
  const silent = () =>
    endpoint(
      ({ init }) =>
        new Promise<Response>((_, reject) => {
          init.signal?.addEventListener('abort', () => {
            reject(new DOMException('aborted', 'AbortError'));
          });
        }),
    );

  it('gives up after 10 s plus twice the audio, retryable', async () => {
    vi.useFakeTimers();
    expect(requestTimeoutMs(1000)).toBe(12_000);
    const fake = silent();
    let settled: unknown = 'pending';
    const outcome = transcribe(fake).then(
      () => 'answered',
      (e: unknown) => e,
    );
    void outcome.then((v) => (settled = v));
    await vi.advanceTimersByTimeAsync(11_900);
    expect(settled).toBe('pending');
    await vi.advanceTimersByTimeAsync(200);
    const err = (await outcome) as TranscriptionError;
    expect(err).toBeInstanceOf(TranscriptionError);
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/did not answer within 12 s/);
    expect(fake.sent[0]?.init.signal?.aborted).toBe(true);
  });

  it("the caller's abort cancels the request; an aborted call sends nothing", async () => {
    const fake = silent();
    const controller = new AbortController();
    const pending = failure(transcribe(fake, {}, controller.signal));
    await vi.waitFor(() => expect(fake.sent).toHaveLength(1));
    controller.abort();
    const err = await pending;
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/cancelled/);
    expect(fake.sent[0]?.init.signal?.aborted).toBe(true);

    const again = await failure(transcribe(fake, {}, controller.signal));
    expect(again.message).toMatch(/cancelled/);
    expect(fake.sent).toHaveLength(1);
  });
});
