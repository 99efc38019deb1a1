import 'fake-indexeddb/auto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { GraphqlOperation, GraphqlResult, OutboxWrite } from '@/shared/messages';

import { SocketLost } from '../socket/socket';
import { Outbox, type OutboxDeps } from './outbox';
import { OutboxStorageError, OutboxStore, type TelemetryEvent } from './store';

let dbName = '';
let counter = 0;
let store: OutboxStore;

beforeEach(async () => {
  counter += 1;
  dbName = `outbox-test-${counter}`;
  store = await OutboxStore.open(dbName);
});

afterEach(() => store.close());

const note = (key: string, text = key): OutboxWrite => ({
  kind: 'createNote',
  key,
  input: { videoId: 'v1', text, timestampSeconds: 12.5 },
});

type Answer = (operation: GraphqlOperation) => Promise<GraphqlResult> | GraphqlResult;

function outboxWith(answer: Answer, overrides: Partial<OutboxDeps> = {}) {
  const sent: GraphqlOperation[] = [];
  const refused: { write: OutboxWrite; code: string }[] = [];
  const acked: string[] = [];
  const outbox = new Outbox({
    store,
    execute: async (operation) => {
      sent.push(operation);
      return answer(operation);
    },
    connected: () => true,
    telemetryEnabled: () => true,
    refused: (write, code) => refused.push({ write, code }),
    acknowledged: (write) => acked.push(write.key),
    changed: () => undefined,
    refreshAuth: () => Promise.resolve(),
    schedule: () => undefined,
    ...overrides,
  });
  return { outbox, sent, refused, acked };
}

const ok: Answer = () => ({ data: { createNote: { id: 'n' } } });
const names = (sent: GraphqlOperation[]) =>
  sent.map((op) => /(mutation|query) (\w+)/.exec(op.query)?.[2]);

describe('the outbox', () => {
  it('drains writes in insertion order, one at a time, and empties once acknowledged', async () => {
    let inFlight = 0;
    let most = 0;
    const { outbox, sent, acked } = outboxWith(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight -= 1;
      return { data: { ok: true } };
    });
    const writes: OutboxWrite[] = [
      note('a'),
      { kind: 'updateNote', key: 'b', input: { id: 'n1', version: 1, text: 'x' } },
      { kind: 'deleteNote', key: 'c', id: 'n1', reason: null },
      { kind: 'restoreNote', key: 'd', id: 'n1' },
      { kind: 'updateSettings', key: 'e', input: { cooldownMs: 100 } },
    ];
    for (const write of writes) await store.add(write);
    await outbox.drain();
    expect(names(sent)).toEqual([
      'WorkerCreateNote',
      'WorkerUpdateNote',
      'WorkerDeleteNote',
      'WorkerRestoreNote',
      'WorkerUpdateSettings',
    ]);
    expect(most).toBe(1);
    expect(acked).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await store.countWrites()).toBe(0);
    expect(outbox.waiting).toBe(0);
  });

  it('keeps an item whose answer was lost, and counts it as waiting', async () => {
    let up = true;
    const { outbox } = outboxWith(
      () => {
        up = false;
        throw new SocketLost();
      },
      { connected: () => up },
    );
    await outbox.add(note('a'));
    await outbox.drain();
    const [item] = await store.all();
    expect(item?.write.key).toBe('a');
    expect(item?.sentAt).not.toBeNull();
    expect(outbox.waiting).toBe(1);
  });

  it('does not send while disconnected', async () => {
    const { outbox, sent } = outboxWith(ok, { connected: () => false });
    await outbox.add(note('a'));
    await outbox.drain();
    expect(sent).toHaveLength(0);
    expect(outbox.waiting).toBe(1);
  });

  it('removes a write refused for good and reports it, then goes on', async () => {
    const { outbox, refused, sent } = outboxWith((op) =>
      /Update/.test(op.query)
        ? { errors: [{ message: 'stale', extensions: { code: 'CONFLICT' } }] }
        : { data: { ok: true } },
    );
    await store.add({ kind: 'updateNote', key: 'u', input: { id: 'n', version: 1 } });
    await store.add(note('after'));
    await outbox.drain();
    expect(refused).toEqual([
      { write: { kind: 'updateNote', key: 'u', input: { id: 'n', version: 1 } }, code: 'CONFLICT' },
    ]);
    expect(names(sent)).toEqual(['WorkerUpdateNote', 'WorkerCreateNote']);
    expect(await store.countWrites()).toBe(0);
  });

  it('removes a write refused as bad input, tells the panels with the field, and goes on', async () => {
    const refusals: { key: string; code: string; field?: string }[] = [];
    const { outbox, sent, acked } = outboxWith(
      (op) =>
        /Settings/.test(op.query)
          ? {
              errors: [
                {
                  message: 'cooldownMs must be between 0 and 60000',
                  extensions: { code: 'BAD_USER_INPUT', field: 'cooldownMs' },
                },
              ],
            }
          : { data: { ok: true } },
      {
        refused: (write, code, _message, field) =>
          refusals.push(
            field === undefined ? { key: write.key, code } : { key: write.key, code, field },
          ),
      },
    );
    await outbox.add({ kind: 'updateSettings', key: 's', input: { cooldownMs: -1 } });
    await outbox.add(note('after'));
    await outbox.drain();
    expect(refusals).toEqual([{ key: 's', code: 'BAD_USER_INPUT', field: 'cooldownMs' }]);
    expect(names(sent)).toEqual(['WorkerUpdateSettings', 'WorkerCreateNote']);
    expect(acked).toEqual(['after']);
    expect(await store.countWrites()).toBe(0);
  });

  it('sends a write again after a server error, and it lands once', async () => {
    const runs: (() => void)[] = [];
    let failing = true;
    const { outbox, sent, acked, refused } = outboxWith(
      (op) => {
        if (/query WorkerNotes/.test(op.query)) {
          return {
            data: { notes: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } },
          };
        }
        return failing
          ? {
              errors: [
                { message: 'database is locked', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
              ],
            }
          : { data: { createNote: { id: 'n' } } };
      },
      { schedule: (run) => runs.push(run) },
    );
    await store.add(note('a'));
    await outbox.load();
    await outbox.drain();
    expect(outbox.waiting).toBe(1);
    expect(refused).toEqual([]);
    expect(runs).toHaveLength(1);
    failing = false;
    runs.shift()?.();
    await outbox.drain();
    // Before sending again, it looks for a note the failed send might still have made.
    expect(names(sent)).toEqual(['WorkerCreateNote', 'WorkerNotes', 'WorkerCreateNote']);
    expect(acked).toEqual(['a']);
    expect(outbox.waiting).toBe(0);
  });

  it('keeps a write whose request failed while the socket stayed up, and tries it later', async () => {
    const runs: (() => void)[] = [];
    let calls = 0;
    const { outbox, acked } = outboxWith(
      () => {
        calls += 1;
        if (calls === 1) throw new Error('Internal server error');
        return { data: { ok: true } };
      },
      { schedule: (run) => runs.push(run) },
    );
    await store.add({ kind: 'deleteNote', key: 'd', id: 'n', reason: null });
    await outbox.load();
    await outbox.drain();
    expect(outbox.waiting).toBe(1);
    expect(runs).toHaveLength(1);
    runs.shift()?.();
    await outbox.drain();
    expect(acked).toEqual(['d']);
    expect(outbox.waiting).toBe(0);
  });

  it('keeps a write the server could not do now (internal error) and retries later', async () => {
    let scheduled = 0;
    const { outbox } = outboxWith(
      () => ({ errors: [{ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }),
      { schedule: () => (scheduled += 1) },
    );
    await store.add(note('a'));
    await store.add(note('b'));
    await outbox.drain();
    expect((await store.all()).map((item) => item.write.key)).toEqual(['a', 'b']);
    expect(scheduled).toBe(1);
  });

  it('ignores a write whose idempotency key is already queued', async () => {
    const { outbox } = outboxWith(ok, { connected: () => false });
    await outbox.add(note('same'));
    await outbox.add(note('same'));
    expect(outbox.waiting).toBe(1);
  });

  it('does not create a note twice when the first answer was lost', async () => {
    let createCalls = 0;
    let up = true;
    const { outbox, sent } = outboxWith(
      (op) => {
        if (/mutation WorkerCreateNote/.test(op.query)) {
          createCalls += 1;
          // The server made the note, but the answer never came back.
          up = false;
          throw new SocketLost();
        }
        return {
          data: {
            notes: {
              edges: [
                {
                  node: {
                    text: 'too loud',
                    timestampSeconds: 12.5,
                    structurer: 'manual',
                    createdAt: new Date().toISOString(),
                  },
                },
              ],
              pageInfo: { hasNextPage: false, endCursor: null },
            },
          },
        };
      },
      { connected: () => up },
    );
    await outbox.add(note('k', '  too loud '));
    await outbox.drain();
    expect(outbox.waiting).toBe(1);
    up = true;
    await outbox.drain();
    expect(createCalls).toBe(1);
    expect(names(sent)).toEqual(['WorkerCreateNote', 'WorkerNotes']);
    expect(outbox.waiting).toBe(0);
  });

  it('sends a createNote again when the earlier send made no note', async () => {
    let up = true;
    let creates = 0;
    const { outbox } = outboxWith(
      (op) => {
        if (/mutation WorkerCreateNote/.test(op.query)) {
          creates += 1;
          if (creates === 1) {
            up = false;
            throw new SocketLost();
          }
          return { data: { createNote: { id: 'n' } } };
        }
        return {
          data: { notes: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } },
        };
      },
      { connected: () => up },
    );
    await outbox.add(note('k'));
    await outbox.drain();
    up = true;
    await outbox.drain();
    expect(creates).toBe(2);
    expect(outbox.waiting).toBe(0);
  });

  it('survives a reopen of the database (a service worker restart), in order', async () => {
    await store.add(note('first'));
    await store.add({ kind: 'deleteNote', key: 'second', id: 'n', reason: 'dup' });
    store.close();
    store = await OutboxStore.open(dbName);
    const { outbox, sent } = outboxWith(ok);
    await outbox.load();
    expect(outbox.waiting).toBe(2);
    await outbox.drain();
    expect(names(sent)).toEqual(['WorkerCreateNote', 'WorkerDeleteNote']);
  });
});

describe('telemetry in the outbox', () => {
  const event = (i: number): TelemetryEvent => ({
    eventId: `e${i}`,
    name: 'socket.connected',
    occurredAt: new Date(0).toISOString(),
    level: 'INFO',
  });

  it('is capped, dropping the oldest telemetry and never a write', async () => {
    await store.add(note('kept'));
    await store.addTelemetry(
      Array.from({ length: 30 }, (_, i) => event(i)),
      25,
    );
    expect(await store.countTelemetry()).toBe(25);
    const first = await store.telemetryBatch(1);
    expect(first[0]?.event.eventId).toBe('e5');
    expect(await store.countWrites()).toBe(1);
  });

  it('is sent in batches of at most 500 and dropped once acknowledged', async () => {
    const sizes: number[] = [];
    const { outbox } = outboxWith((op) => {
      const events = (op.variables?.events ?? []) as TelemetryEvent[];
      sizes.push(events.length);
      const ids = events.map((e) => e.eventId);
      return { data: { ingestTelemetry: { accepted: ids.slice(1), duplicates: ids.slice(0, 1) } } };
    });
    await store.addTelemetry(Array.from({ length: 1_200 }, (_, i) => event(i)));
    await outbox.drain();
    expect(sizes).toEqual([500, 500, 200]);
    expect(await store.countTelemetry()).toBe(0);
  });

  it('keeps unacknowledged telemetry, and sends none while the flag is off', async () => {
    const { outbox: off, sent } = outboxWith(ok, { telemetryEnabled: () => false });
    await off.addTelemetry([event(1)]);
    expect(await store.countTelemetry()).toBe(0);
    await store.addTelemetry([event(2), event(3)]);
    await off.drain();
    expect(sent).toHaveLength(0);
    const { outbox } = outboxWith(() => ({
      data: { ingestTelemetry: { accepted: ['e2'], duplicates: [] } },
    }));
    await outbox.drain();
    expect((await store.telemetryBatch(10)).map((item) => item.event.eventId)).toEqual(['e3']);
  });
});

describe('the outbox when the browser is short of storage', () => {
  const event = (i: number): TelemetryEvent => ({
    eventId: `t${i}`,
    name: 'socket.connected',
    occurredAt: new Date(0).toISOString(),
    level: 'INFO',
  });

  /** The real store, but refusing what needs room (as IndexedDB does over quota) while
   * `full()`; reads and deletions go through. */
  function shortOfRoom(real: OutboxStore, full: () => boolean | Promise<boolean>): OutboxStore {
    const needsRoom = new Set<PropertyKey>(['add', 'markSent', 'addTelemetry']);
    return new Proxy(real, {
      get(target, name) {
        const value: unknown = Reflect.get(target, name, target);
        if (typeof value !== 'function') return value;
        const method = (value as (...args: unknown[]) => unknown).bind(target);
        if (!needsRoom.has(name)) return method;
        return async (...args: unknown[]) => {
          if (await full()) {
            throw new OutboxStorageError('the browser has no room left for queued notes', true);
          }
          return method(...args);
        };
      },
    });
  }

  it('gives the room of queued telemetry to a write before refusing it', async () => {
    await store.addTelemetry([event(1), event(2)]);
    // The room comes back once the telemetry is gone.
    const { outbox } = outboxWith(ok, {
      store: shortOfRoom(store, async () => (await store.countTelemetry()) > 0),
      connected: () => false,
    });
    await outbox.add(note('typed'));
    expect(await store.countTelemetry()).toBe(0);
    expect((await store.all()).map((item) => item.write.key)).toEqual(['typed']);
    expect(outbox.storageError).toBeNull();
  });

  it('refuses a write it cannot keep, keeps what was queued, and drains it later', async () => {
    let full = false;
    let up = false;
    const changes: (string | null)[] = [];
    const { outbox, acked } = outboxWith(ok, {
      store: shortOfRoom(store, () => full),
      connected: () => up,
      changed: () => changes.push(outbox.storageError),
    });
    await outbox.add(note('queued'));
    full = true;
    await expect(outbox.add(note('refused'))).rejects.toThrow(OutboxStorageError);
    expect(outbox.storageError).toBe('the browser has no room left for queued notes');
    expect(changes.at(-1)).toBe('the browser has no room left for queued notes');
    expect(outbox.waiting).toBe(1);

    // Still full: what was queued is sent (sending and removing need no room).
    up = true;
    await outbox.drain();
    expect(acked).toEqual(['queued']);
    expect(outbox.waiting).toBe(0);

    // Room again: the same write is taken, and the error goes.
    full = false;
    await outbox.add(note('refused'));
    await outbox.drain();
    expect(acked).toEqual(['queued', 'refused']);
    expect(outbox.storageError).toBeNull();
  });

  it('queues no telemetry while a write is refused for room', async () => {
    let full = true;
    const { outbox } = outboxWith(ok, {
      store: shortOfRoom(store, () => full),
      connected: () => false,
    });
    await expect(outbox.add(note('refused'))).rejects.toThrow(OutboxStorageError);
    full = false;
    await outbox.addTelemetry([event(1)]);
    expect(await store.countTelemetry()).toBe(0);
  });

  it('still recognises a lost createNote whose send could not be marked', async () => {
    let up = true;
    let creates = 0;
    const { outbox, sent } = outboxWith(
      (op) => {
        if (/mutation WorkerCreateNote/.test(op.query)) {
          creates += 1;
          up = false;
          throw new SocketLost();
        }
        return {
          data: {
            notes: {
              edges: [
                {
                  node: {
                    text: 'too loud',
                    timestampSeconds: 12.5,
                    structurer: 'manual',
                    createdAt: new Date().toISOString(),
                  },
                },
              ],
              pageInfo: { hasNextPage: false, endCursor: null },
            },
          },
        };
      },
      { store: shortOfRoom(store, () => true), connected: () => up },
    );
    await store.add(note('k', 'too loud'));
    await outbox.load();
    await outbox.drain();
    expect((await store.all())[0]?.sentAt).toBeNull();
    up = true;
    await outbox.drain();
    expect(creates).toBe(1);
    expect(names(sent)).toEqual(['WorkerCreateNote', 'WorkerNotes']);
    expect(outbox.waiting).toBe(0);
  });
});

describe('transcripts in the outbox', () => {
  const transcript = (sessionId: string | null): OutboxWrite => ({
    kind: 'submitTranscript',
    key: 'utt-1',
    input: {
      utteranceId: 'utt-1',
      ...(sessionId ? { sessionId } : {}),
      videoId: 'v1',
      mediaTime: 4.5,
      durationMs: 900,
      text: 'too loud',
      confidence: 0.9,
      source: 'fixture',
    },
  });

  it('sends a transcript again after a lost answer: the utterance id makes it one note', async () => {
    let up = true;
    let calls = 0;
    const { outbox, sent, acked } = outboxWith(
      () => {
        calls += 1;
        if (calls === 1) {
          up = false;
          throw new SocketLost();
        }
        return { data: { submitTranscript: { id: 'n' } } };
      },
      { connected: () => up },
    );
    await outbox.add(transcript('s1'));
    await outbox.drain();
    up = true;
    await outbox.drain();
    // No read before the resend (unlike createNote): the server answers the same note.
    expect(names(sent)).toEqual(['WorkerSubmitTranscript', 'WorkerSubmitTranscript']);
    expect(sent[1]?.variables).toEqual(sent[0]?.variables);
    expect(acked).toEqual(['utt-1']);
    expect(await store.countWrites()).toBe(0);
  });

  it('sends it without its session when the server refuses the session', async () => {
    for (const refusal of [
      { message: 'no live voice session', extensions: { code: 'NOT_FOUND' } },
      {
        message: 'this voice session heard no utterance with this id',
        extensions: { code: 'BAD_USER_INPUT', field: 'utteranceId' },
      },
    ]) {
      const { outbox, sent, acked, refused } = outboxWith((op) =>
        (op.variables?.input as Record<string, unknown>).sessionId
          ? { errors: [refusal] }
          : { data: { submitTranscript: { id: 'n' } } },
      );
      await outbox.add(transcript('s1'));
      await outbox.drain();
      expect(sent.map((op) => (op.variables?.input as Record<string, unknown>).sessionId)).toEqual([
        's1',
        undefined,
      ]);
      expect(acked).toEqual(['utt-1']);
      expect(refused).toEqual([]);
    }
  });

  it('refuses for good a transcript the server refuses without a session', async () => {
    const { outbox, refused, sent } = outboxWith(() => ({
      errors: [{ message: 'no such video', extensions: { code: 'NOT_FOUND' } }],
    }));
    await outbox.add(transcript(null));
    await outbox.drain();
    expect(sent).toHaveLength(1);
    expect(refused.map((r) => r.code)).toEqual(['NOT_FOUND']);
  });
});
