// @vitest-environment node

import { afterEach, describe, expect, it, vi } from 'vitest';

import type { TranscriptionConfig } from '@/shared/voice';

import { createTranscriber, transcriptSource } from './index';

const base: TranscriptionConfig = {
  mode: 'FIXTURE',
  endpoint: null,
  model: 'fixture:the cut is late',
  apiKey: null,
  downloadAllowed: false,
};
const options = { utteranceId: 'u', signal: new AbortController().signal };
const hooks = { progress() {} };

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('createTranscriber', () => {
  it('answers from the fixture list in FIXTURE mode', async () => {
    const result = await createTranscriber(base, hooks).transcribe(new Float32Array(160), options);
    expect(result.text).toBe('the cut is late');
  });

  it("posts to the endpoint with the page's fetch in ENDPOINT mode", async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(() =>
      Promise.resolve(new Response(JSON.stringify({ text: 'the music is too loud' }))),
    );
    vi.stubGlobal('fetch', fetch);
    const config = { ...base, mode: 'ENDPOINT' as const, endpoint: 'http://127.0.0.1:9/v1' };
    const result = await createTranscriber(config, hooks).transcribe(
      new Float32Array(160),
      options,
    );
    expect(result.text).toBe('the music is too loud');
    expect(fetch.mock.calls[0]?.[0]).toBe('http://127.0.0.1:9/v1/audio/transcriptions');
  });
});

describe('transcriptSource', () => {
  it("names each mode as submitTranscript's source", () => {
    expect(transcriptSource('ON_DEVICE')).toBe('whisper-on-device');
    expect(transcriptSource('ENDPOINT')).toBe('whisper-endpoint');
    expect(transcriptSource('FIXTURE')).toBe('fixture');
  });
});
