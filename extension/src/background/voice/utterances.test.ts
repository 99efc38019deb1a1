import { describe, expect, it } from 'vitest';

import type { Transcript } from '@/shared/voice';

import {
  begin,
  BOOK_CAP,
  end,
  failed,
  forget,
  listed,
  recording,
  retrying,
  serverEndReason,
  transcriptWrite,
  unheard,
  type Utterance,
  type UtteranceBook,
} from './utterances';

const utterance = (utteranceId: string, change: Partial<Utterance> = {}): Utterance => ({
  utteranceId,
  sessionId: 's1',
  videoId: 'v1',
  tabId: 3,
  mediaTime: 12.5,
  videoPlaying: true,
  onsetAt: 1_000,
  durationMs: null,
  status: 'recording',
  message: null,
  ...change,
});

const transcript = (text: string, change: Partial<Transcript> = {}): Transcript => ({
  utteranceId: 'u1',
  text,
  confidence: 0.8,
  words: null,
  source: 'fixture',
  ...change,
});

describe('the utterance book', () => {
  it('follows an utterance from speech to transcription', () => {
    let book: UtteranceBook = begin({}, utterance('u1'));
    expect(recording(book)?.utteranceId).toBe('u1');
    book = end(book, 'u1', 1234.4);
    expect(book.u1).toMatchObject({ status: 'transcribing', durationMs: 1234 });
    expect(recording(book)).toBeNull();
    book = failed(book, 'u1', 'the endpoint answered 500');
    expect(listed(book)).toEqual([
      {
        utteranceId: 'u1',
        mediaTime: 12.5,
        status: 'failed',
        message: 'the endpoint answered 500',
      },
    ]);
    book = retrying(book, 'u1');
    expect(book.u1?.status).toBe('transcribing');
    expect(forget(book, 'u1')).toEqual({});
  });

  it('lists utterances in the order they were spoken', () => {
    const book = begin(
      begin({}, utterance('late', { onsetAt: 9 })),
      utterance('early', { onsetAt: 1 }),
    );
    expect(listed(book).map((u) => u.utteranceId)).toEqual(['early', 'late']);
  });

  it('forgets the oldest failed utterance past the cap, never one in progress', () => {
    let book: UtteranceBook = {};
    book = begin(book, utterance('failed-old', { status: 'failed', onsetAt: 0 }));
    for (let i = 1; i < BOOK_CAP; i += 1) book = begin(book, utterance(`u${i}`, { onsetAt: i }));
    book = begin(book, utterance('new', { onsetAt: 999 }));
    expect(Object.keys(book)).toHaveLength(BOOK_CAP);
    expect(book['failed-old']).toBeUndefined();
    expect(book.new).toBeDefined();
  });

  it('sends transcripts of utterances the session did not take without it', () => {
    const book = unheard(begin({}, utterance('u1')), ['u1', 'unknown']);
    expect(book.u1?.sessionId).toBeNull();
  });
});

describe('transcriptWrite', () => {
  it('is a submitTranscript keyed by the utterance id, with what its events said', () => {
    const write = transcriptWrite(
      utterance('u1', { durationMs: 1800 }),
      transcript('  the  audio is   too loud  ', {
        words: [{ word: 'the', startMs: 0, endMs: 90 }],
      }),
      120,
    );
    expect(write).toEqual({
      kind: 'submitTranscript',
      key: 'u1',
      input: {
        utteranceId: 'u1',
        sessionId: 's1',
        videoId: 'v1',
        mediaTime: 12.5,
        durationMs: 1800,
        text: 'the audio is too loud',
        confidence: 0.8,
        words: [{ word: 'the', startMs: 0, endMs: 90 }],
        source: 'fixture',
      },
    });
  });

  it('has no session in v1 and keeps the time within the video', () => {
    const write = transcriptWrite(
      utterance('u1', { sessionId: null, mediaTime: 61 }),
      transcript('cut here'),
      60,
    );
    expect(write?.input).not.toHaveProperty('sessionId');
    expect(write?.input.mediaTime).toBe(60);
    expect(write?.input.durationMs).toBe(0);
  });

  it('submits nothing for an empty transcript', () => {
    expect(transcriptWrite(utterance('u1'), transcript('   '), null)).toBeNull();
  });
});

describe('serverEndReason', () => {
  it('names the capture’s reasons as the server does', () => {
    expect(serverEndReason('SILENCE')).toBe('NATURAL_END');
    expect(serverEndReason('MAX_SPEECH')).toBe('MAX_DURATION');
    expect(serverEndReason('PUSH_TO_TALK_RELEASE')).toBe('PUSH_TO_TALK_RELEASE');
    expect(serverEndReason('STOP_UTTERANCE')).toBe('FORCED_END');
    expect(serverEndReason('CAPTURE_STOPPED')).toBe('FORCED_END');
  });
});
