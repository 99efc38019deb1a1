// A video's notes as every view of the extension holds them (the side panel's list, the
// worker's markers): the list `notes(videoId)` read page by page, and `noteEvents` followed
// from the offset the list was read at, merged by version into one set (@lossy/common/notes).
// Both contexts come through here, each with its own transport and documents.
//
// Where a list and its stream meet (PROTOCOL.md section 6.1, docs/notes.md): the first page
// answers `offset`, where the user's event stream stood before that page was read, and the
// stream is subscribed with `since` set to it. The server replays every change after it and
// then goes on live, so a change made between the list's read and the subscription's start
// (a slow network, a busy worker) arrives once, and nothing the list already shows is sent
// again. Subscribing first and reading the list after would depend on the two reaching the
// server in that order; with `since` the order no longer matters. Later pages are read after
// the stream started: they may be older or newer than the events already applied, which the
// version merge settles (a page never undoes a deletion it did not see: tombstones).
//
// The offset then moves with every event applied, and the transport sends the stream again
// after it whenever the connection comes back (it reads the operation each time it sends it).
// The list is read again only when the server cannot resume from the offset (past its
// retention, `EVENTS_EXPIRED`, or not an offset it knows, `BAD_USER_INPUT`), or when the
// stream was sent again from now; the stream then follows from the new list's offset. A
// refusal of the offset a list has just given, with nothing heard since, is reported instead:
// reading again would be refused the same way, for ever.
//
// Without the notes channel (`streaming` false) there is no stream: the list is read every
// `pollMs`.

import {
  applyEvent,
  emptyNotes,
  refusesResume,
  upsertNotes,
  type MergeableNote,
  type NoteEvent,
  type NoteSet,
} from '@lossy/common/notes';

import type { GraphqlOperation, GraphqlResult } from './messages';
import { errorCode } from './stream';

/** How a view reaches the server: the worker's socket, or the panel's port to the worker. */
export interface NotesTransport {
  /** One query; rejects when it could not run. */
  read(operation: GraphqlOperation): Promise<GraphqlResult>;
  /** A stream that resumes: `operation` is read each time the stream is sent (again). */
  follow(operation: () => GraphqlOperation, sink: StreamSink): () => void;
}

export interface StreamSink {
  next(result: GraphqlResult): void;
  /** The stream was refused or failed; `errors` with their codes when the server refused it. */
  error(message: string, errors?: GraphqlResult['errors']): void;
  /** The server ended the stream. */
  complete(): void;
  /** Sent again on a new connection, after `since`; null: from now. */
  restarted(since: string | null): void;
}

export interface VideoNotesOptions<N extends MergeableNote> {
  transport: NotesTransport;
  /** One page of the list (`after`: the cursor; null for the first page). The document must
   * select `nodes`, `pageInfo { hasNextPage endCursor }` and `offset`. */
  page(after: string | null): GraphqlOperation;
  /** The video's `noteEvents` after `since`; each event must select `offset`. */
  events(since: string): GraphqlOperation;
  /** Follow `noteEvents`; false (the notes channel is off): read the list every `pollMs`. */
  streaming: boolean;
  pollMs: number;
  /** What the view already holds (its notes from before a restart of the feed). */
  initial?: NoteSet<N>;
  /** The notes changed (a page or an event merged). */
  changed(notes: NoteSet<N>): void;
  /** A page of the list answered. */
  listed?(): void;
  /** The list or the stream failed: nothing is retried until `reconnected()` (or a new feed). */
  failed(what: 'list' | 'events', message: string): void;
  /** The time a deletion is stamped with (`NoteDeleted` carries none). */
  now?(): string;
}

export interface VideoNotes<N extends MergeableNote> {
  /** The notes as merged so far. */
  readonly notes: NoteSet<N>;
  /** Where the stream resumes: the list's offset, then the last event's. Null while the first
   * page has not answered (or without a stream). */
  readonly offset: string | null;
  /** The connection came back: a polled list is read now; a stream that failed, or a list
   * that did not finish, starts over. A live stream needs nothing (its transport resends it). */
  reconnected(): void;
  stop(): void;
}

interface Page<N> {
  nodes: N[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  offset?: string | null;
}

type Event<N extends MergeableNote> = NoteEvent<N> & { offset: string };

function firstError(result: GraphqlResult): string | null {
  return result.errors?.[0]?.message ?? null;
}

function pageOf<N>(result: GraphqlResult): Page<N> | null {
  const page = (result.data as { notes?: Page<N> | null } | null | undefined)?.notes;
  return page && Array.isArray(page.nodes) ? page : null;
}

function eventOf<N extends MergeableNote>(result: GraphqlResult): Event<N> | null {
  const event = (result.data as { noteEvents?: Event<N> | null } | null | undefined)?.noteEvents;
  return event && typeof event.offset === 'string' ? event : null;
}

/** Starts following a video's notes: the list, then its stream from the list's offset. */
export function followVideoNotes<N extends MergeableNote>(
  options: VideoNotesOptions<N>,
): VideoNotes<N> {
  const { transport } = options;
  const now = () => options.now?.() ?? new Date().toISOString();
  let notes = options.initial ?? emptyNotes<N>();
  let offset: string | null = null;
  let stopped = false;
  /** The running stream; null while there is none. */
  let stream: { stop: () => void } | null = null;
  /** Bumped by every walk of the list and by `stop`: a walk no longer current stops. */
  let walk = 0;
  let walking = false;
  /** The last walk read every page. */
  let complete = false;
  /** The stream was refused and the list read again, and nothing was heard since. */
  let startedOver = false;
  let poll: ReturnType<typeof setInterval> | null = null;

  function merge(next: NoteSet<N>) {
    if (next === notes) return;
    notes = next;
    options.changed(notes);
  }

  async function readList(): Promise<void> {
    const number = ++walk;
    walking = true;
    complete = false;
    let after: string | null = null;
    try {
      for (;;) {
        const result = await transport.read(options.page(after));
        if (number !== walk) return;
        const page = pageOf<N>(result);
        if (!page) {
          options.failed('list', firstError(result) ?? 'The server answered without notes.');
          return;
        }
        // The first page's offset is the earliest of the walk: the stream starts there, so no
        // change after it is missed, whichever page it touches.
        if (after === null && options.streaming) {
          if (typeof page.offset !== 'string') {
            options.failed('list', 'The server answered the notes without their offset.');
            return;
          }
          follow(page.offset);
        }
        merge(upsertNotes(notes, page.nodes, 'page'));
        options.listed?.();
        const next = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        if (next === null) {
          complete = true;
          return;
        }
        after = next;
      }
    } catch (reason) {
      if (number === walk) {
        options.failed('list', reason instanceof Error ? reason.message : String(reason));
      }
    } finally {
      if (number === walk) walking = false;
    }
  }

  function follow(from: string) {
    stopStream();
    offset = from;
    const self: { stop: () => void } = { stop: () => undefined };
    const current = () => stream === self;
    stream = self;
    // `offset` is read each time the transport sends the stream: after the last event applied.
    const stop = transport.follow(() => options.events(offset ?? from), {
      next(result) {
        if (!current()) return;
        const event = eventOf<N>(result);
        if (event) {
          offset = event.offset;
          startedOver = false;
          merge(applyEvent(notes, event, now()));
        } else if (refusesResume(errorCode(result.errors))) {
          refused(result.errors, firstError(result) ?? 'The live notes stopped.');
        } else if (result.errors?.length) {
          // An event the server could not give: said, and the stream goes on.
          options.failed('events', firstError(result) ?? 'The live notes stopped.');
        }
      },
      error(message, errors) {
        if (!current()) return;
        stream = null;
        refused(errors, message);
      },
      complete() {
        if (current()) stream = null;
      },
      restarted(since) {
        if (!current()) return;
        startedOver = false;
        // Sent again from now: what changed meanwhile was not replayed.
        if (since === null) startOver();
      },
    });
    // Ended already (a transport that answers at once): nothing must keep running.
    if (current()) self.stop = stop;
    else stop();
  }

  function stopStream() {
    const running = stream;
    stream = null;
    running?.stop();
  }

  /** The stream failed: start over when the server cannot resume from its offset. */
  function refused(errors: GraphqlResult['errors'], message: string) {
    if (stopped) return;
    if (refusesResume(errorCode(errors)) && !startedOver) {
      startedOver = true;
      startOver();
      return;
    }
    stopStream();
    options.failed('events', message);
  }

  /** The list read again, and the stream followed from its offset. */
  function startOver() {
    if (stopped) return;
    stopStream();
    offset = null;
    void readList();
  }

  void readList();
  if (!options.streaming) poll = setInterval(() => void readList(), options.pollMs);

  return {
    get notes() {
      return notes;
    },
    get offset() {
      return offset;
    },
    reconnected() {
      if (stopped) return;
      if (!options.streaming) {
        void readList();
        return;
      }
      // A walk under way goes on: its read is sent again with the socket, or fails.
      if (walking) return;
      if (stream === null || !complete) {
        startedOver = false;
        startOver();
      }
    },
    stop() {
      stopped = true;
      walk += 1;
      stopStream();
      if (poll !== null) clearInterval(poll);
      poll = null;
    },
  };
}
