import 'fake-indexeddb/auto';

import { afterEach, describe, expect, it } from 'vitest';

import { TranscriptionError, type Transcriber } from '@/transcription/types';
import type { Transcript } from '@/shared/voice';

import { TranscriptionQueue, type QueueOptions } from './queue';
import { UtteranceStore, type StoredUtterance } from './store';

let dbCount = 0;
const open: UtteranceStore[] = [];
const queues: TranscriptionQueue[] = [];

async function newStore(name = `utterances-test-${++dbCount}`): Promise<UtteranceStore> {
  const store = await UtteranceStore.open(name);
  open.push(store);
  return store;
}

afterEach(() => {
  for (const queue of queues.splice(0)) queue.close();
  for (const store of open.splice(0)) store.close();
});

/** Stores utterance `id` with 16 samples of `fill`. */
async function record(store: UtteranceStore, id: string, fill: number): Promise<void> {
  const utterance: Omit<StoredUtterance, 'seq'> = {
    utteranceId: id,
    onsetAt: 1_700_000_000_000,
    durationMs: 1_000,
    reason: 'SILENCE',
    recordedAt: 1_700_000_001_000,
    state: 'queued',
    attempts: 0,
    transcript: null,
    error: null,
  };
  await store.add(utterance, new Float32Array(16).fill(fill));
}

type Answer = string | Error;

/** A transcriber answering each utterance from a script of answers, in turn. */
function scripted(script: Record<string, Answer[]>) {
  const calls: { id: string; audio: number[] }[] = [];
  const transcriber: Transcriber = {
    transcribe(audio, { utteranceId }) {
      calls.push({ id: utteranceId, audio: Array.from(audio) });
      const answer = script[utteranceId]?.shift() ?? `text of ${utteranceId}`;
      return answer instanceof Error
        ? Promise.reject(answer)
        : Promise.resolve({ text: answer, confidence: 0.9, words: null });
    },
  };
  return { transcriber, calls };
}

function makeQueue(store: UtteranceStore, options: Partial<QueueOptions> = {}) {
  const delivered: Transcript[] = [];
  const failed: { id: string; message: string }[] = [];
  const queue = new TranscriptionQueue({
    store,
    transcriber: () => null,
    deliver: (transcript) => {
      delivered.push(transcript);
      return Promise.resolve(true);
    },
    failed: (id, message) => failed.push({ id, message }),
    retryDelaysMs: [1, 1, 1],
    deliveryDelaysMs: [5],
    ...options,
  });
  queues.push(queue);
  return { queue, delivered, failed };
}

async function settle(queue: TranscriptionQueue, ms = 0) {
  await queue.idle();
  if (ms > 0) {
    await new Promise((resolve) => setTimeout(resolve, ms));
    await queue.idle();
  }
}

describe('TranscriptionQueue', () => {
  it('transcribes and hands over in recording order, then forgets the audio', async () => {
    const store = await newStore();
    await record(store, 'a', 1);
    await record(store, 'b', 2);
    await record(store, 'c', 3);
    const { transcriber, calls } = scripted({});
    const { queue, delivered } = makeQueue(store, {
      transcriber: () => ({ transcriber, source: 'fixture' }),
    });
    queue.kick();
    await settle(queue);
    expect(calls.map((call) => call.id)).toEqual(['a', 'b', 'c']);
    expect(calls[1]?.audio.every((sample) => sample === 2)).toBe(true);
    expect(delivered).toEqual(
      ['a', 'b', 'c'].map((id) => ({
        utteranceId: id,
        text: `text of ${id}`,
        confidence: 0.9,
        words: null,
        source: 'fixture',
      })),
    );
    expect(await store.all()).toEqual([]);
    expect(await store.audio('a')).toBeUndefined();
  });

  it('retries a retryable failure, then reports it failed and keeps the audio', async () => {
    const store = await newStore();
    await record(store, 'a', 1);
    await record(store, 'b', 2);
    const busy = () => new TranscriptionError('the endpoint is busy', true);
    const { transcriber, calls } = scripted({
      a: [busy(), busy(), 'the music is too loud'],
      b: [busy(), busy(), busy(), busy()],
    });
    const { queue, delivered, failed } = makeQueue(store, {
      transcriber: () => ({ transcriber, source: 'whisper-endpoint' }),
    });
    queue.kick();
    await settle(queue);
    // a: two failures, then text. b: the first try and three retries, then failed.
    expect(calls.map((call) => call.id)).toEqual(['a', 'a', 'a', 'b', 'b', 'b', 'b']);
    expect(delivered.map((transcript) => transcript.text)).toEqual(['the music is too loud']);
    expect(failed).toEqual([{ id: 'b', message: 'the endpoint is busy' }]);
    const kept = await store.all();
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ utteranceId: 'b', state: 'failed', attempts: 4 });
    expect(Array.from((await store.audio('b')) ?? [])).toEqual(new Array(16).fill(2));
  });

  it('does not retry what cannot succeed, and goes on with the next utterance', async () => {
    const store = await newStore();
    await record(store, 'a', 1);
    await record(store, 'b', 2);
    const { transcriber, calls } = scripted({
      a: [new TranscriptionError('the API key was refused', false)],
    });
    const { queue, delivered, failed } = makeQueue(store, {
      transcriber: () => ({ transcriber, source: 'whisper-endpoint' }),
    });
    queue.kick();
    await settle(queue);
    expect(calls.map((call) => call.id)).toEqual(['a', 'b']);
    expect(failed).toEqual([{ id: 'a', message: 'the API key was refused' }]);
    expect(delivered.map((transcript) => transcript.utteranceId)).toEqual(['b']);
    expect((await store.get('a'))?.state).toBe('failed');
  });

  it('keeps an empty transcript a transcript: the worker decides it makes no note', async () => {
    const store = await newStore();
    await record(store, 'a', 1);
    const { transcriber } = scripted({ a: [''] });
    const { queue, delivered, failed } = makeQueue(store, {
      transcriber: () => ({ transcriber, source: 'fixture' }),
    });
    queue.kick();
    await settle(queue);
    expect(failed).toEqual([]);
    expect(delivered.map((transcript) => transcript.text)).toEqual(['']);
  });

  it('keeps a transcript the worker did not take, and offers it again before later ones', async () => {
    const store = await newStore();
    await record(store, 'a', 1);
    await record(store, 'b', 2);
    const { transcriber, calls } = scripted({});
    let workerUp = false;
    const offered: string[] = [];
    const { queue } = makeQueue(store, {
      transcriber: () => ({ transcriber, source: 'fixture' }),
      deliveryDelaysMs: [50],
      deliver: (transcript) => {
        offered.push(`${transcript.utteranceId}:${workerUp ? 'taken' : 'refused'}`);
        return workerUp ? Promise.resolve(true) : Promise.reject(new Error('no receiver'));
      },
    });
    queue.kick();
    await settle(queue);
    // b is transcribed meanwhile, but not offered ahead of a.
    expect(calls.map((call) => call.id)).toEqual(['a', 'b']);
    expect(offered).toEqual(['a:refused']);
    expect((await store.all()).map((kept) => kept.state)).toEqual(['transcribed', 'transcribed']);
    workerUp = true;
    await settle(queue, 100);
    expect(offered).toEqual(['a:refused', 'a:taken', 'b:taken']);
    expect(await store.all()).toEqual([]);
  });

  it('waits for settings before transcribing, and starts when kicked with them', async () => {
    const store = await newStore();
    await record(store, 'a', 1);
    const { transcriber, calls } = scripted({});
    let ready = false;
    const { queue, delivered } = makeQueue(store, {
      transcriber: () => (ready ? { transcriber, source: 'fixture' } : null),
    });
    queue.kick();
    await settle(queue);
    expect(calls).toEqual([]);
    expect(await queue.count()).toBe(1);
    ready = true;
    queue.kick();
    await settle(queue);
    expect(delivered).toHaveLength(1);
    expect(await queue.count()).toBe(0);
  });

  it('a reopened document takes up what the last one left, the abandoned attempt included', async () => {
    const name = `utterances-test-${++dbCount}`;
    const first = await newStore(name);
    await record(first, 'a', 1);
    await record(first, 'b', 2);
    let hang: () => void = () => undefined;
    const stuck: Transcriber = {
      transcribe: (_audio, { signal }) =>
        new Promise((_resolve, reject) => {
          hang = () => reject(new TranscriptionError('cancelled', true));
          signal.addEventListener('abort', () => hang());
        }),
    };
    const closing = makeQueue(first, { transcriber: () => ({ transcriber: stuck, source: 'x' }) });
    closing.queue.kick();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // The document goes away mid-transcription.
    closing.queue.close();
    await closing.queue.idle();
    expect(
      (await first.all()).map((kept) => [kept.utteranceId, kept.state, kept.attempts]),
    ).toEqual([
      ['a', 'queued', 0],
      ['b', 'queued', 0],
    ]);

    const second = await newStore(name);
    const { transcriber, calls } = scripted({});
    const reopened = makeQueue(second, { transcriber: () => ({ transcriber, source: 'fixture' }) });
    reopened.queue.kick();
    await settle(reopened.queue);
    expect(calls.map((call) => call.id)).toEqual(['a', 'b']);
    expect(reopened.delivered.map((transcript) => transcript.utteranceId)).toEqual(['a', 'b']);
  });

  it('retryFailed queues failed utterances again', async () => {
    const store = await newStore();
    await record(store, 'a', 1);
    const { transcriber, calls } = scripted({
      a: [new TranscriptionError('no model offline', false), 'the cut is late'],
    });
    const { queue, delivered, failed } = makeQueue(store, {
      transcriber: () => ({ transcriber, source: 'whisper-on-device' }),
    });
    queue.kick();
    await settle(queue);
    expect(failed).toHaveLength(1);
    expect(await queue.count()).toBe(0);
    await queue.retryFailed();
    await settle(queue);
    expect(calls).toHaveLength(2);
    expect(delivered.map((transcript) => transcript.text)).toEqual(['the cut is late']);
    expect(await store.all()).toEqual([]);
  });
});
