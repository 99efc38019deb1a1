import { beforeEach, describe, expect, it } from 'vitest';

import type { TranscriptionConfig } from '@/shared/voice';

import { createFixtureTranscriber, parseFixtureModel } from './fixture';
import { TranscriptionError } from './types';

const config = (model: string): TranscriptionConfig => ({
  mode: 'FIXTURE',
  endpoint: null,
  model,
  apiKey: null,
  downloadAllowed: false,
});

/** `seconds` of silence at 16 kHz. */
const audio = (seconds: number) => new Float32Array(Math.round(seconds * 16_000));
const signal = new AbortController().signal;

beforeEach(() => {
  localStorage.clear();
});

describe('parseFixtureModel', () => {
  it('reads the list after "fixture:", and none without one', () => {
    expect(parseFixtureModel('fixture: a | b')).toEqual([
      { kind: 'text', text: 'a', retry: false },
      { kind: 'text', text: 'b', retry: false },
    ]);
    expect(parseFixtureModel('fixture:x||!retry: y|!fail')).toEqual([
      { kind: 'text', text: 'x', retry: false },
      { kind: 'text', text: '', retry: false },
      { kind: 'text', text: 'y', retry: true },
      { kind: 'fail' },
    ]);
    expect(parseFixtureModel('fixture')).toBeNull();
    expect(parseFixtureModel('fixture:')).toBeNull();
  });
});

describe('the fixture transcriber', () => {
  it('answers the texts in order, one per utterance, and round again', async () => {
    const t = createFixtureTranscriber(config('fixture:the music is too loud|the cut is late'));
    const texts = [];
    for (const id of ['a', 'b', 'c']) {
      texts.push((await t.transcribe(audio(1), { utteranceId: id, signal })).text);
    }
    expect(texts).toEqual(['the music is too loud', 'the cut is late', 'the music is too loud']);
  });

  it('gives an utterance asked again the same text, also after the page reopened', async () => {
    const model = config('fixture:first|second');
    const t = createFixtureTranscriber(model);
    expect((await t.transcribe(audio(1), { utteranceId: 'a', signal })).text).toBe('first');
    expect((await t.transcribe(audio(1), { utteranceId: 'a', signal })).text).toBe('first');
    // a new transcriber (the offscreen document reopened) reads the assignments back
    const reopened = createFixtureTranscriber(model);
    expect((await reopened.transcribe(audio(1), { utteranceId: 'a', signal })).text).toBe('first');
    expect((await reopened.transcribe(audio(1), { utteranceId: 'b', signal })).text).toBe('second');
  });

  it('spreads the words over the audio', async () => {
    const t = createFixtureTranscriber(config('fixture:too loud here'));
    const { words, confidence } = await t.transcribe(audio(1.5), { utteranceId: 'a', signal });
    expect(confidence).toBeNull();
    expect(words).toEqual([
      { word: 'too', startMs: 0, endMs: 500 },
      { word: 'loud', startMs: 500, endMs: 1000 },
      { word: 'here', startMs: 1000, endMs: 1500 },
    ]);
  });

  it('hears nothing for an empty entry, fails a !retry entry once, and a !fail entry always', async () => {
    const t = createFixtureTranscriber(config('fixture:|!retry:the cut is late|!fail'));
    expect(await t.transcribe(audio(1), { utteranceId: 'a', signal })).toEqual({
      text: '',
      confidence: null,
      words: null,
    });

    const first = await t
      .transcribe(audio(1), { utteranceId: 'b', signal })
      .catch((e: unknown) => e);
    expect(first).toBeInstanceOf(TranscriptionError);
    expect((first as TranscriptionError).retryable).toBe(true);
    expect((await t.transcribe(audio(1), { utteranceId: 'b', signal })).text).toBe(
      'the cut is late',
    );

    for (let attempt = 0; attempt < 2; attempt++) {
      const err = await t
        .transcribe(audio(1), { utteranceId: 'c', signal })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TranscriptionError);
      expect((err as TranscriptionError).retryable).toBe(false);
    }
  });

  it('without a list, numbers the utterances and gives their length', async () => {
    const t = createFixtureTranscriber(config('fixture'));
    expect((await t.transcribe(audio(2.34), { utteranceId: 'a', signal })).text).toBe(
      'fixture utterance 1, 2.3 seconds',
    );
    expect((await t.transcribe(audio(0.5), { utteranceId: 'b', signal })).text).toBe(
      'fixture utterance 2, 0.5 seconds',
    );
  });

  it('starts the list again when the model changes', async () => {
    await createFixtureTranscriber(config('fixture:a|b')).transcribe(audio(1), {
      utteranceId: 'x',
      signal,
    });
    const t = createFixtureTranscriber(config('fixture:c|d'));
    expect((await t.transcribe(audio(1), { utteranceId: 'y', signal })).text).toBe('c');
  });

  it('rejects a cancelled call', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await createFixtureTranscriber(config('fixture:a'))
      .transcribe(audio(1), { utteranceId: 'a', signal: controller.signal })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TranscriptionError);
  });
});
