import { describe, expect, it } from 'vitest';

import {
  acknowledge,
  adoptReset,
  connectionLost,
  enqueue,
  FIFO_CAP,
  markSent,
  newBook,
  nextToSend,
  refuse,
  replay,
  resumed,
  statusSeen,
  worthQueueing,
  type EventBody,
  type EventBook,
} from './events';

const heartbeat: EventBody = { kind: 'HEARTBEAT', occurredAt: '2026-01-01T00:00:00.000Z' };
const start = (utteranceId: string): EventBody => ({
  kind: 'SPEECH_START',
  occurredAt: '2026-01-01T00:00:01.000Z',
  utteranceId,
  mediaTime: 12,
  videoPlaying: true,
});

function queue(book: EventBook, ...bodies: EventBody[]): EventBook {
  return bodies.reduce((b, body) => enqueue(b, body).book, book);
}

describe('the event FIFO', () => {
  it('numbers events contiguously from 1 for a new session', () => {
    const book = queue(newBook('s', 'OBSERVING', 0), heartbeat, start('u1'), heartbeat);
    expect(book.pending.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(book.pending.every((e) => e.sessionId === 's')).toBe(true);
    expect(book.nextSeq).toBe(4);
  });

  it('keeps at most 100, dropping the oldest', () => {
    let book = newBook('s', 'OBSERVING', 0);
    const dropped: number[] = [];
    for (let i = 0; i < FIFO_CAP + 3; i += 1) {
      const result = enqueue(book, start(`u${i}`));
      book = result.book;
      if (result.dropped) dropped.push(result.dropped.seq);
    }
    expect(book.pending).toHaveLength(FIFO_CAP);
    expect(dropped).toEqual([1, 2, 3]);
    expect(book.pending[0]?.seq).toBe(4);
    expect(book.dropped).toBe(3);
    expect(replay(book).events).toHaveLength(FIFO_CAP);
  });

  it('sends one event at a time, oldest first, and again after a lost connection', () => {
    let book = queue(newBook('s', 'OBSERVING', 0), start('u1'), heartbeat);
    expect(nextToSend(book)?.seq).toBe(1);
    book = markSent(book, 1);
    expect(nextToSend(book)).toBeNull();
    book = connectionLost(book);
    expect(nextToSend(book)?.seq).toBe(1);
  });

  it('removes applied and duplicate events and keeps the state the server answered', () => {
    let book = queue(newBook('s', 'OBSERVING', 0), start('u1'), heartbeat);
    book = markSent(book, 1);
    let result = acknowledge(book, 1, {
      outcome: 'APPLIED',
      appliedSeq: 1,
      state: 'RECORDING',
      reason: null,
    });
    expect(result.book.pending.map((e) => e.seq)).toEqual([2]);
    expect(result.book.lastKnownState).toEqual({
      sessionId: 's',
      state: 'RECORDING',
      seq: 1,
      lastEventAt: '2026-01-01T00:00:01.000Z',
    });
    expect(result.book.inFlight).toBeNull();
    result = acknowledge(result.book, 2, {
      outcome: 'DUPLICATE',
      appliedSeq: 5,
      state: 'RECORDING',
      reason: null,
    });
    expect(result.book.pending).toEqual([]);
    expect(result.ignored).toEqual([]);
  });

  it('removes an ignored event and reports it', () => {
    const book = queue(newBook('s', 'COOLDOWN', 3), start('u9'));
    const result = acknowledge(book, 4, {
      outcome: 'IGNORED',
      appliedSeq: 4,
      state: 'COOLDOWN',
      reason: 'cooldown',
    });
    expect(result.book.pending).toEqual([]);
    expect(result.ignored.map((e) => e.utteranceId)).toEqual(['u9']);
  });

  it('clears everything on RESET and continues after the server’s appliedSeq', () => {
    let book = queue(newBook('s', 'OBSERVING', 0), start('u1'), heartbeat, heartbeat);
    book = markSent(book, 1);
    const result = acknowledge(book, 1, {
      outcome: 'RESET',
      appliedSeq: 0,
      state: 'DISCONNECTED',
      reason: 'disconnected',
    });
    expect(result.reset).toBe(true);
    expect(result.book.pending).toEqual([]);
    expect(result.cleared.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(result.book.lastKnownState.state).toBe('DISCONNECTED');
    expect(enqueue(result.book, heartbeat).event.seq).toBe(1);
  });

  it('renumbers the events after one the server refused as invalid', () => {
    let book = queue(newBook('s', 'OBSERVING', 7), start('bad'), start('u2'), heartbeat);
    book = markSent(book, 8);
    const { book: next, refused } = refuse(book, 8);
    expect(refused?.utteranceId).toBe('bad');
    expect(next.pending.map((e) => [e.seq, e.kind])).toEqual([
      [8, 'SPEECH_START'],
      [9, 'HEARTBEAT'],
    ]);
    expect(next.nextSeq).toBe(10);
    expect(nextToSend(next)?.utteranceId).toBe('u2');
  });
});

describe('resume and replay', () => {
  it('replays every buffered event with the last known state', () => {
    let book = queue(newBook('s', 'OBSERVING', 0), start('u1'), heartbeat);
    book = acknowledge(markSent(book, 1), 1, {
      outcome: 'APPLIED',
      appliedSeq: 1,
      state: 'RECORDING',
      reason: null,
    }).book;
    book = queue(book, { kind: 'SPEECH_END', occurredAt: 'x', utteranceId: 'u1', durationMs: 900 });
    const sent = replay(book);
    expect(sent.sessionId).toBe('s');
    expect(sent.lastKnownState.state).toBe('RECORDING');
    expect(sent.lastKnownState.seq).toBe(1);
    expect(sent.events.map((e) => [e.seq, e.kind])).toEqual([
      [2, 'HEARTBEAT'],
      [3, 'SPEECH_END'],
    ]);
  });

  it('drops what the resume applied', () => {
    const book = queue(newBook('s', 'RECORDING', 4), heartbeat, heartbeat);
    const result = resumed(book, {
      outcome: 'APPLIED',
      appliedSeq: 6,
      state: 'COOLDOWN',
      reason: null,
    });
    expect(result.book.pending).toEqual([]);
    expect(result.book.lastKnownState.state).toBe('COOLDOWN');
    expect(result.book.nextSeq).toBe(7);
  });

  it('adopts the snapshot when the resume answers RESET (a dropped event left a gap)', () => {
    let book = newBook('s', 'OBSERVING', 0);
    for (let i = 0; i < FIFO_CAP + 1; i += 1) book = enqueue(book, heartbeat).book;
    // seq 1 was dropped: the server applies nothing and answers RESET with its snapshot.
    const result = resumed(book, {
      outcome: 'RESET',
      appliedSeq: 0,
      state: 'OBSERVING',
      reason: 'gap',
    });
    expect(result.reset).toBe(true);
    expect(result.cleared).toHaveLength(FIFO_CAP);
    expect(result.book.pending).toEqual([]);
    expect(result.book.nextSeq).toBe(1);
  });

  it('adopts a RESET_SESSION pushed on voiceStatus the same way', () => {
    const book = queue(newBook('s', 'OBSERVING', 2), start('u1'));
    const { book: next, cleared } = adoptReset(book, 'OBSERVING', 2);
    expect(cleared.map((e) => e.utteranceId)).toEqual(['u1']);
    expect(next.nextSeq).toBe(3);
  });

  it('takes a newer status as the last known state, never an older one', () => {
    const book = newBook('s', 'OBSERVING', 5);
    expect(statusSeen(book, 'RECORDING', 6).lastKnownState).toMatchObject({
      state: 'RECORDING',
      seq: 6,
    });
    expect(statusSeen(book, 'IDLE', 4)).toBe(book);
  });

  it('queues no second waiting heartbeat', () => {
    const book = queue(newBook('s', 'OBSERVING', 0), heartbeat);
    expect(worthQueueing(book, 'HEARTBEAT')).toBe(false);
    expect(worthQueueing(markSent(book, 1), 'HEARTBEAT')).toBe(true);
    expect(worthQueueing(book, 'SPEECH_START')).toBe(true);
  });
});
