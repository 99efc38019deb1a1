// The socket against a server that stops answering while its socket stays open (a hung
// process): the network is the boundary, so WebSocket is a scripted stand-in speaking
// graphql-transport-ws; graphql-ws and the Socket class are the real ones.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { GraphqlOperation, GraphqlResult } from '@/shared/messages';

import { BACKOFF_CAP_MS } from './backoff';
import { KEEP_ALIVE_MS, PONG_TIMEOUT_MS, Socket, SocketLost } from './socket';

type Frame = { type: string; id?: string; payload?: unknown };

class ScriptedServerSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static all: ScriptedServerSocket[] = [];
  /** Whether the server process runs; a halted one answers nothing. */
  static answering = true;
  /** What the server answers an operation with (nothing by default). */
  static onSubscribe: ((frame: Frame) => Frame[]) | null = null;

  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  readyState = 0;
  protocol = 'graphql-transport-ws';
  received: Frame[] = [];
  closedWith: number | null = null;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    ScriptedServerSocket.all.push(this);
    // A halted server's kernel still accepts the connection; the handshake waits for it.
    setTimeout(() => {
      if (ScriptedServerSocket.answering) this.open();
    }, 1);
  }

  /** The server runs again: handshakes that waited for it complete. */
  static resume(): void {
    ScriptedServerSocket.answering = true;
    for (const socket of ScriptedServerSocket.all) {
      if (socket.readyState === 0) socket.open();
    }
  }

  private open(): void {
    this.readyState = 1;
    this.onopen?.();
  }

  send(data: string): void {
    const frame = JSON.parse(data) as Frame;
    this.received.push(frame);
    if (!ScriptedServerSocket.answering) return;
    const answer = (reply: Frame) =>
      setTimeout(() => this.onmessage?.({ data: JSON.stringify(reply) }), 1);
    if (frame.type === 'connection_init') answer({ type: 'connection_ack', payload: {} });
    if (frame.type === 'ping') answer({ type: 'pong' });
    if (frame.type === 'subscribe') {
      for (const reply of ScriptedServerSocket.onSubscribe?.(frame) ?? []) answer(reply);
    }
  }

  /** The connection breaks (a network drop): closed without a closing handshake. */
  drop(): void {
    this.readyState = 3;
    setTimeout(() => this.onclose?.({ code: 1006, reason: '', wasClean: false }), 1);
  }

  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = 2;
    // A silent server never completes the closing handshake: no close event then.
    if (!ScriptedServerSocket.answering) return;
    this.readyState = 3;
    setTimeout(() => this.onclose?.({ code, reason: '', wasClean: true }), 1);
  }
}

const changes: string[] = [];
const closes: (number | undefined)[] = [];
let socket: Socket;

beforeEach(() => {
  vi.useFakeTimers();
  ScriptedServerSocket.all = [];
  ScriptedServerSocket.answering = true;
  ScriptedServerSocket.onSubscribe = null;
  vi.stubGlobal('WebSocket', ScriptedServerSocket);
  changes.length = 0;
  closes.length = 0;
  socket = new Socket({
    token: () => Promise.resolve('token'),
    connected: () => undefined,
    closed: (code) => closes.push(code),
    changed: () => changes.push(socket.connection),
  });
});

afterEach(() => {
  socket.stop();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

async function connect(): Promise<void> {
  socket.start('ws://127.0.0.1:4000/graphql');
  await vi.advanceTimersByTimeAsync(10);
  expect(socket.connected).toBe(true);
}

describe('the socket and a server that stops answering', () => {
  it('stays connected while pings are answered', async () => {
    await connect();
    await vi.advanceTimersByTimeAsync(5 * KEEP_ALIVE_MS);
    expect(socket.connected).toBe(true);
    expect(ScriptedServerSocket.all).toHaveLength(1);
    expect(ScriptedServerSocket.all[0]?.received.filter((f) => f.type === 'ping')).toHaveLength(5);
  });

  it('drops a socket whose ping goes unanswered, and connects again', async () => {
    await connect();
    const write = socket.execute({ query: 'mutation { createNote { id } }' });
    const outcome = write.catch((error: unknown) => error);
    ScriptedServerSocket.answering = false;

    await vi.advanceTimersByTimeAsync(KEEP_ALIVE_MS + PONG_TIMEOUT_MS - 100);
    expect(socket.connected).toBe(true);
    await vi.advanceTimersByTimeAsync(200);
    expect(socket.connected).toBe(false);
    expect(closes).toEqual([4499]);
    // The write's outcome is unknown: the outbox decides what to do with it.
    expect(await outcome).toBeInstanceOf(SocketLost);
    expect(ScriptedServerSocket.all[0]?.closedWith).toBe(4499);

    // It keeps trying; once the server answers again it is connected.
    ScriptedServerSocket.resume();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(ScriptedServerSocket.all.length).toBeGreaterThan(1);
    expect(socket.connected).toBe(true);
  });

  it('says offline 30 s after the unanswered ping, and tells the panels then', async () => {
    await connect();
    ScriptedServerSocket.answering = false;
    await vi.advanceTimersByTimeAsync(KEEP_ALIVE_MS + PONG_TIMEOUT_MS + 100);
    expect(socket.connection).toBe('reconnecting');
    changes.length = 0;
    // From the ping (sent KEEP_ALIVE_MS after the connection), 30 s.
    await vi.advanceTimersByTimeAsync(30_000 - PONG_TIMEOUT_MS - 200);
    expect(socket.connection).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(200);
    expect(socket.connection).toBe('offline');
    expect(changes).toContain('offline');
  });
});

describe('what the server answers a write with', () => {
  it('hands over the codes of a refusal sent as an `error` message', async () => {
    const refusal = {
      message: '`text` is longer than 10000 characters',
      extensions: { code: 'BAD_USER_INPUT', field: 'text' },
    };
    ScriptedServerSocket.onSubscribe = (frame) => [
      { id: frame.id, type: 'error', payload: [refusal] },
    ];
    await connect();
    const result = socket.execute({ query: 'mutation { createNote { id } }' });
    await vi.advanceTimersByTimeAsync(10);
    await expect(result).resolves.toEqual({ data: null, errors: [refusal] });
  });

  it('answers a result with its data', async () => {
    ScriptedServerSocket.onSubscribe = (frame) => [
      { id: frame.id, type: 'next', payload: { data: { createNote: { id: 'n1' } } } },
      { id: frame.id, type: 'complete' },
    ];
    await connect();
    const result = socket.execute({ query: 'mutation { createNote { id } }' });
    await vi.advanceTimersByTimeAsync(10);
    await expect(result).resolves.toEqual({ data: { createNote: { id: 'n1' } } });
  });
});

describe('a stream that resumes where it left off', () => {
  const STREAM = 'subscription S($since: String) { noteEvents(since: $since) { offset } }';
  const subscribes = (server: ScriptedServerSocket | undefined) =>
    (server?.received ?? []).filter((frame) => frame.type === 'subscribe');

  it('is sent again as it stands when the socket comes back, never as it started', async () => {
    // The server answers each subscribe with one event at the next offset.
    let served = 0;
    ScriptedServerSocket.onSubscribe = (frame) => {
      const query = (frame.payload as GraphqlOperation).query;
      if (query !== STREAM) return [];
      served += 1;
      return [
        {
          id: frame.id,
          type: 'next',
          payload: { data: { noteEvents: { offset: `o-${served}` } } },
        },
      ];
    };
    await connect();
    let since: string | null = null;
    const results: GraphqlResult[] = [];
    const resent: GraphqlOperation[] = [];
    let completed = false;
    socket.subscribe(() => ({ query: STREAM, variables: since === null ? {} : { since } }), {
      next: (result) => {
        results.push(result);
        since = (result.data as { noteEvents: { offset: string } }).noteEvents.offset;
      },
      error: () => undefined,
      complete: () => (completed = true),
      resent: (payload) => resent.push(payload),
    });
    // A fixed subscription beside it, which graphql-ws resends itself.
    socket.subscribe(
      { query: 'subscription { settingsChanged { version } }' },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    await vi.advanceTimersByTimeAsync(10);
    const first = ScriptedServerSocket.all[0];
    expect(subscribes(first).map((frame) => frame.payload)).toEqual([
      { query: STREAM, variables: {} },
      { query: 'subscription { settingsChanged { version } }' },
    ]);
    expect(since).toBe('o-1');
    expect(resent).toEqual([]);

    first?.drop();
    await vi.advanceTimersByTimeAsync(BACKOFF_CAP_MS);
    expect(socket.connected).toBe(true);
    const second = ScriptedServerSocket.all.at(-1);
    expect(second).not.toBe(first);
    // Once each, the stream after its offset.
    expect(subscribes(second).map((frame) => frame.payload)).toEqual([
      { query: 'subscription { settingsChanged { version } }' },
      { query: STREAM, variables: { since: 'o-1' } },
    ]);
    expect(resent).toEqual([{ query: STREAM, variables: { since: 'o-1' } }]);
    expect(results).toHaveLength(2);
    expect(since).toBe('o-2');
    // The replaced subscription's end is not the stream's.
    expect(completed).toBe(false);
  });
});
