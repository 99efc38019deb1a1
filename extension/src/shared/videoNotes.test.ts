// How a view's list and its stream meet (followVideoNotes), against a small server with an
// event log: the stream starts after the list's offset, so a change made between the list's
// read and the stream's start arrives once; what the transport sends again resumes after the
// last offset; a refusal reads the list again and follows from the new list's offset.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { GraphqlOperation, GraphqlResult } from './messages';
import { followVideoNotes, type NotesTransport, type StreamSink } from './videoNotes';

interface Note {
  id: string;
  version: number;
  timestampSeconds: number;
  deletedAt: string | null;
  text: string;
}

type Event =
  | { __typename: 'NoteCreated' | 'NoteUpdated'; note: Note; offset: string }
  | { __typename: 'NoteDeleted'; noteId: string; offset: string };

const PAGE = 2;

/** The server's side: notes, an event log, pages of `PAGE`, streams replayed after `since`. */
class Server implements NotesTransport {
  readonly notes = new Map<string, Note>();
  readonly log: Event[] = [];
  /** What the view sent, as `list after=…` or `events since=…`. */
  readonly sent: string[] = [];
  /** Offsets (as numbers) at or below this are past retention. */
  expiredUpTo = -1;
  /** Every `since` is refused, as by a server whose clock ran ahead. */
  refuseAll = false;
  /** Streams are held (not yet at the server) until `release()`. */
  holding = false;
  private held: (() => void)[] = [];
  streams: { sink: StreamSink; operation: () => GraphqlOperation; live: boolean }[] = [];

  get offset(): string {
    return `o-${this.log.length}`;
  }

  write(note: Omit<Note, 'version' | 'deletedAt'> & Partial<Note>): void {
    const held = this.notes.get(note.id);
    const next: Note = { deletedAt: null, ...held, ...note, version: (held?.version ?? 0) + 1 };
    this.notes.set(note.id, next);
    this.publish({ __typename: held ? 'NoteUpdated' : 'NoteCreated', note: next, offset: '' });
  }

  remove(id: string): void {
    const held = this.notes.get(id);
    if (!held) throw new Error(id);
    this.notes.set(id, { ...held, deletedAt: 'then', version: held.version + 1 });
    this.publish({ __typename: 'NoteDeleted', noteId: id, offset: '' });
  }

  private publish(event: Event) {
    const sequenced = { ...event, offset: `o-${this.log.length + 1}` };
    this.log.push(sequenced);
    for (const stream of this.streams) {
      if (stream.live) stream.sink.next({ data: { noteEvents: sequenced } });
    }
  }

  read(operation: GraphqlOperation): Promise<GraphqlResult> {
    const after = (operation.variables?.after as string | null) ?? null;
    this.sent.push(`list after=${after}`);
    const all = [...this.notes.values()].sort((a, b) => a.timestampSeconds - b.timestampSeconds);
    const start = after === null ? 0 : Number(after);
    const nodes = all.slice(start, start + PAGE);
    const end = start + nodes.length;
    const offset = this.offset;
    return Promise.resolve({
      data: {
        notes: {
          nodes,
          pageInfo: { hasNextPage: end < all.length, endCursor: String(end) },
          offset,
        },
      },
    });
  }

  follow(operation: () => GraphqlOperation, sink: StreamSink): () => void {
    const stream = { sink, operation, live: false };
    this.streams.push(stream);
    const start = () => this.start(stream);
    if (this.holding) this.held.push(start);
    else start();
    return () => {
      stream.live = false;
      this.streams = this.streams.filter((s) => s !== stream);
    };
  }

  release(): void {
    this.holding = false;
    for (const start of this.held.splice(0)) start();
  }

  /** The stream reaches the server: replayed after its `since`, or refused. */
  private start(stream: Server['streams'][number]): void {
    if (!this.streams.includes(stream)) return;
    const since = stream.operation().variables?.since as string | undefined;
    this.sent.push(this.refuseAll ? 'refused' : `events since=${since ?? 'none'}`);
    const at = since === undefined ? this.log.length : Number(since.slice(2));
    if (this.refuseAll || (since !== undefined && at <= this.expiredUpTo && at < this.log.length)) {
      // Refused: the server ends the stream.
      this.streams = this.streams.filter((s) => s !== stream);
      stream.sink.error('expired', [
        { message: 'expired', extensions: { code: 'EVENTS_EXPIRED' } },
      ]);
      return;
    }
    for (const event of this.log.slice(at)) stream.sink.next({ data: { noteEvents: event } });
    stream.live = true;
  }

  /** The socket dropped (streams hear nothing) and came back: each stream is sent again. */
  reconnect(between: () => void = () => undefined): void {
    for (const stream of this.streams) stream.live = false;
    between();
    for (const stream of [...this.streams]) {
      const since = stream.operation().variables?.since as string | undefined;
      stream.sink.restarted(since ?? null);
      this.start(stream);
    }
  }
}

function feed(server: Server, extra: { streaming?: boolean } = {}) {
  const failures: string[] = [];
  let changes = 0;
  const notes = followVideoNotes<Note>({
    transport: server,
    page: (after) => ({ query: 'query List', variables: { videoId: 'v', after } }),
    events: (since) => ({ query: 'subscription Events', variables: { videoId: 'v', since } }),
    streaming: extra.streaming ?? true,
    pollMs: 1000,
    changed: () => (changes += 1),
    failed: (what, message) => failures.push(`${what}: ${message}`),
  });
  const texts = () => notes.notes.sorted.filter((n) => n.deletedAt === null).map((n) => n.text);
  return { notes, failures, texts, changes: () => changes };
}

const settle = () => vi.advanceTimersByTimeAsync(0);

describe('a list and its stream', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads the first page, follows from its offset, then reads the other pages', async () => {
    const server = new Server();
    server.write({ id: 'a', timestampSeconds: 1, text: 'one' });
    server.write({ id: 'b', timestampSeconds: 2, text: 'two' });
    server.write({ id: 'c', timestampSeconds: 3, text: 'three' });
    const { notes, texts, failures } = feed(server);
    await settle();
    expect(server.sent).toEqual(['list after=null', 'events since=o-3', 'list after=2']);
    expect(texts()).toEqual(['one', 'two', 'three']);
    expect(notes.offset).toBe('o-3');
    expect(failures).toEqual([]);
  });

  it('gets a change made between the list and the start of its stream once, and nothing listed again', async () => {
    const server = new Server();
    server.write({ id: 'a', timestampSeconds: 1, text: 'listed' });
    server.holding = true;
    const { texts } = feed(server);
    await settle();
    expect(server.sent).toEqual(['list after=null']);
    server.write({ id: 'b', timestampSeconds: 2, text: 'made in between' });
    server.write({ id: 'a', timestampSeconds: 1, text: 'listed, then edited' });
    expect(texts()).toEqual(['listed']);

    const applied: string[] = [];
    for (const stream of server.streams) {
      const next = stream.sink.next.bind(stream.sink);
      stream.sink.next = (result) => {
        const event = (result.data as { noteEvents: Event }).noteEvents;
        applied.push(event.offset);
        next(result);
      };
    }
    server.release();
    await settle();
    expect(server.sent).toEqual(['list after=null', 'events since=o-1']);
    // Only what followed the list's offset, each once.
    expect(applied).toEqual(['o-2', 'o-3']);
    expect(texts()).toEqual(['listed, then edited', 'made in between']);
  });

  it('resumes after the last offset applied when the stream is sent again', async () => {
    const server = new Server();
    server.write({ id: 'a', timestampSeconds: 1, text: 'listed' });
    const { notes, texts } = feed(server);
    await settle();
    server.write({ id: 'b', timestampSeconds: 2, text: 'live' });
    expect(notes.offset).toBe('o-2');
    server.reconnect(() => {
      server.write({ id: 'c', timestampSeconds: 3, text: 'made while away' });
      server.remove('b');
    });
    await settle();
    expect(server.sent.slice(-1)).toEqual(['events since=o-2']);
    expect(server.sent.filter((sent) => sent.startsWith('list'))).toHaveLength(1);
    expect(texts()).toEqual(['listed', 'made while away']);
  });

  it('keeps a deletion a page read before it did not see', async () => {
    const server = new Server();
    for (const [id, seconds] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ] as const) {
      server.write({ id, timestampSeconds: seconds, text: id });
    }
    // The second page is answered as it was before `c` was deleted.
    const read = server.read.bind(server);
    server.read = async (operation) => {
      const answer = await read(operation);
      if (operation.variables?.after !== null) server.remove('c');
      return answer;
    };
    const { texts } = feed(server);
    await settle();
    expect(texts()).toEqual(['a', 'b']);
  });

  it('reads the list again and follows from its new offset when the server refuses the offset', async () => {
    const server = new Server();
    server.write({ id: 'a', timestampSeconds: 1, text: 'listed' });
    const { texts, failures } = feed(server);
    await settle();
    server.reconnect(() => {
      server.write({ id: 'b', timestampSeconds: 2, text: 'made while away' });
      server.expiredUpTo = 1;
    });
    await settle();
    expect(server.sent).toEqual([
      'list after=null',
      'events since=o-1',
      'events since=o-1',
      'list after=null',
      'events since=o-2',
    ]);
    expect(texts()).toEqual(['listed', 'made while away']);
    expect(failures).toEqual([]);
    server.write({ id: 'c', timestampSeconds: 3, text: 'live again' });
    expect(texts()).toEqual(['listed', 'made while away', 'live again']);
  });

  it('reports a refusal of the offset a list has just given, instead of reading for ever', async () => {
    const server = new Server();
    server.write({ id: 'a', timestampSeconds: 1, text: 'listed' });
    server.write({ id: 'b', timestampSeconds: 2, text: 'another' });
    server.refuseAll = true;
    const { failures, notes } = feed(server);
    await settle();
    expect(server.sent).toEqual(['list after=null', 'refused', 'list after=null', 'refused']);
    expect(failures).toEqual(['events: expired']);
    expect(notes.notes.sorted).toHaveLength(2);

    // A reconnect tries again, once.
    notes.reconnected();
    await settle();
    expect(server.sent.slice(4)).toEqual([
      'list after=null',
      'refused',
      'list after=null',
      'refused',
    ]);
  });

  it('reads the list again when the stream was sent again from now', async () => {
    const server = new Server();
    const { texts } = feed(server);
    await settle();
    const [stream] = server.streams;
    server.write({ id: 'a', timestampSeconds: 1, text: 'made meanwhile' });
    stream?.sink.restarted(null);
    await settle();
    expect(server.sent).toEqual([
      'list after=null',
      'events since=o-0',
      'list after=null',
      'events since=o-1',
    ]);
    expect(texts()).toEqual(['made meanwhile']);
  });

  it('starts over on a reconnect when its stream failed or its list did not finish, and not otherwise', async () => {
    const server = new Server();
    server.write({ id: 'a', timestampSeconds: 1, text: 'listed' });
    const { notes, failures } = feed(server);
    await settle();
    notes.reconnected();
    await settle();
    expect(server.sent).toEqual(['list after=null', 'events since=o-1']);

    const failed = server.streams.splice(0)[0];
    failed?.sink.error('the server failed', [
      { message: 'the server failed', extensions: { code: 'INTERNAL' } },
    ]);
    expect(failures).toEqual(['events: the server failed']);
    notes.reconnected();
    await settle();
    expect(server.sent.slice(2)).toEqual(['list after=null', 'events since=o-1']);

    const read = server.read.bind(server);
    server.read = () => Promise.reject(new Error('the connection was lost'));
    server.streams.at(-1)?.sink.restarted(null);
    await settle();
    expect(failures.at(-1)).toBe('list: the connection was lost');
    server.read = read;
    notes.reconnected();
    await settle();
    expect(server.sent.slice(-2)).toEqual(['list after=null', 'events since=o-1']);
  });

  it('polls the list without a stream, and stops', async () => {
    const server = new Server();
    server.write({ id: 'a', timestampSeconds: 1, text: 'listed' });
    const { notes, texts } = feed(server, { streaming: false });
    await settle();
    server.write({ id: 'b', timestampSeconds: 2, text: 'polled' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(texts()).toEqual(['listed', 'polled']);
    expect(server.sent).toEqual(['list after=null', 'list after=null']);
    expect(notes.offset).toBeNull();
    notes.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(server.sent).toHaveLength(2);
  });
});
