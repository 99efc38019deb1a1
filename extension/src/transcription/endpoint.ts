// `ENDPOINT`: an OpenAI-compatible `POST {endpoint}/audio/transcriptions` (a faster-whisper or
// whisper.cpp server on the reviewer's machine or network, or a hosted API with a key). The
// utterance goes as a 16 kHz mono 16-bit WAV in a multipart form with `model` and
// `response_format=json`; the answer must be JSON with a string `text`.

import type { TranscriptionConfig, WordTiming } from '@/shared/voice';

import { durationMs, normaliseTranscript } from './text';
import {
  SAMPLE_RATE,
  throwIfAborted,
  TranscriptionError,
  type TranscribeOptions,
  type Transcriber,
  type TranscriptionResult,
} from './types';
import { encodeWav } from './wav';

export interface EndpointDeps {
  fetch: typeof fetch;
}

/** How long one request may take: the upload and the recogniser's work grow with the audio. */
export function requestTimeoutMs(audioMs: number): number {
  return 10_000 + 2 * audioMs;
}

/** `{endpoint}/audio/transcriptions`; a missing or non-http(s) endpoint cannot be fixed by
 * trying again. */
export function transcriptionsUrl(endpoint: string | null): string {
  if (endpoint === null || endpoint.trim() === '') {
    throw new TranscriptionError(
      'No transcription endpoint is set: add its address in the settings.',
      false,
    );
  }
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw new TranscriptionError(`The transcription endpoint "${endpoint}" is not a URL.`, false);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TranscriptionError(
      `The transcription endpoint must be an http(s) URL, not "${endpoint}".`,
      false,
    );
  }
  return `${url.href.replace(/\/+$/, '')}/audio/transcriptions`;
}

export function createEndpointTranscriber(
  config: TranscriptionConfig,
  deps: EndpointDeps = { fetch: (input, init) => fetch(input, init) },
): Transcriber {
  return {
    async transcribe(audio, options) {
      throwIfAborted(options.signal);
      const url = transcriptionsUrl(config.endpoint);
      const form = new FormData();
      form.append('file', new Blob([encodeWav(audio)], { type: 'audio/wav' }), 'utterance.wav');
      form.append('model', config.model);
      form.append('response_format', 'json');
      const headers: Record<string, string> = { Accept: 'application/json' };
      // The key is the reviewer's, kept on this device; an endpoint without one gets none.
      if (config.apiKey) headers.Authorization = `Bearer ${config.apiKey}`;
      const { status, body } = await post(
        deps.fetch,
        url,
        { method: 'POST', body: form, headers, credentials: 'omit' },
        requestTimeoutMs(durationMs(audio, SAMPLE_RATE)),
        options,
      );
      if (status < 200 || status > 299) throw statusError(status, body);
      return parseAnswer(body);
    },
  };
}

/** The request and its body, under one timeout; every failure is a `TranscriptionError`. */
async function post(
  fetcher: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  { signal }: TranscribeOptions,
): Promise<{ status: number; body: string }> {
  const controller = new AbortController();
  const timeout = new Error('timeout');
  const timer = setTimeout(() => {
    controller.abort(timeout);
  }, timeoutMs);
  const cancel = () => controller.abort();
  signal.addEventListener('abort', cancel, { once: true });
  try {
    const response = await fetcher(url, { ...init, signal: controller.signal });
    return { status: response.status, body: await response.text() };
  } catch (err) {
    if (signal.aborted) throw new TranscriptionError('The transcription was cancelled.', true);
    if (controller.signal.reason === timeout) {
      throw new TranscriptionError(
        `The transcription endpoint did not answer within ${Math.round(timeoutMs / 1000)} s.`,
        true,
      );
    }
    // fetch says no more than "Failed to fetch" for a refused connection, a DNS failure or an
    // answer the browser withheld (an endpoint that sends no CORS headers).
    throw new TranscriptionError(
      `Could not reach the transcription endpoint ${new URL(url).origin} (${errorText(err)}); ` +
        'is it running, and does it allow requests from the extension?',
      true,
    );
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', cancel);
  }
}

function statusError(status: number, body: string): TranscriptionError {
  const detail = errorDetail(body);
  const said = detail ? `: ${detail}` : '';
  if (status === 408 || status === 429) {
    return new TranscriptionError(`The transcription endpoint is busy (${status})${said}`, true);
  }
  if (status >= 500) {
    return new TranscriptionError(`The transcription endpoint failed (${status})${said}`, true);
  }
  if (status === 401 || status === 403) {
    return new TranscriptionError(
      `The transcription endpoint refused the request (${status}); check its API key${said}`,
      false,
    );
  }
  if (status === 404) {
    return new TranscriptionError(
      `The transcription endpoint has no /audio/transcriptions (404); check its address${said}`,
      false,
    );
  }
  return new TranscriptionError(
    `The transcription endpoint refused the audio (${status})${said}`,
    false,
  );
}

function parseAnswer(body: string): TranscriptionResult {
  let answer: unknown;
  try {
    answer = JSON.parse(body);
  } catch {
    throw new TranscriptionError(
      `The transcription endpoint answered something that is not JSON: "${snippet(body)}"`,
      false,
    );
  }
  if (!isRecord(answer) || typeof answer.text !== 'string') {
    throw new TranscriptionError(
      `The transcription endpoint answered JSON without a "text": "${snippet(body)}"`,
      false,
    );
  }
  const text = normaliseTranscript(answer.text);
  return {
    text,
    confidence: text === '' ? null : segmentConfidence(answer.segments),
    words: text === '' ? null : wordTimings(answer.words),
  };
}

// `response_format=json` answers `{text}`; some servers add `verbose_json`'s fields anyway.
// They are read when they are well formed and ignored otherwise.

/** `words: [{word, start, end}]` in seconds. */
function wordTimings(words: unknown): WordTiming[] | null {
  if (!Array.isArray(words) || words.length === 0) return null;
  const timings: WordTiming[] = [];
  for (const w of words) {
    if (!isRecord(w) || typeof w.word !== 'string') return null;
    if (!isSeconds(w.start) || !isSeconds(w.end) || w.end < w.start) return null;
    timings.push({
      word: w.word.trim(),
      startMs: Math.round(w.start * 1000),
      endMs: Math.round(w.end * 1000),
    });
  }
  return timings;
}

/** `segments: [{avg_logprob}]`: the mean token probability, e^(mean log-probability). */
function segmentConfidence(segments: unknown): number | null {
  if (!Array.isArray(segments) || segments.length === 0) return null;
  let sum = 0;
  for (const s of segments) {
    if (!isRecord(s) || typeof s.avg_logprob !== 'number' || !Number.isFinite(s.avg_logprob)) {
      return null;
    }
    sum += s.avg_logprob;
  }
  return Math.min(1, Math.max(0, Math.exp(sum / segments.length)));
}

/** OpenAI's `{error: {message}}`, FastAPI's `{detail}`, or the start of the body. */
function errorDetail(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (isRecord(parsed)) {
      const { error, detail, message } = parsed;
      if (isRecord(error) && typeof error.message === 'string') return snippet(error.message);
      for (const said of [error, detail, message]) {
        if (typeof said === 'string') return snippet(said);
      }
    }
  } catch {
    // not JSON: the text itself
  }
  return snippet(body);
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
