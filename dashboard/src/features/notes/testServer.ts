// A fake Lossy server for component tests: a real urql Client whose one exchange answers the
// notes operations from memory, the way the server does (versions, CONFLICT, NOTE_DELETED,
// soft deletion, events on `noteEvents` with offsets, replayed after `since`, refused when
// expired). Tests can hold answers back to reorder them, and drop the socket: events made
// while it is down reach no subscription that was open (as on a real dropped socket), but a
// subscription made with `since` replays them.

import { Client, getOperationName, makeResult, type Exchange, type OperationResult } from 'urql';
import {
  concat,
  filter,
  fromArray,
  fromPromise,
  makeSubject,
  merge,
  mergeMap,
  pipe,
  share,
  takeUntil,
  type Source,
} from 'wonka';
import { compareNotes } from '@lossy/common/notes';

import type { Note, NoteEvent } from './note';
import { makeNote } from './testNotes';

interface Call {
  name: string;
  variables: Record<string, unknown>;
}

/** An event as a test or a mutation makes it; the server gives it its offset. */
export type NewEvent = NoteEvent extends infer E
  ? E extends NoteEvent
    ? Omit<E, 'offset'>
    : never
  : never;

type Answer =
  | { data: Record<string, unknown> }
  | { errors: { message: string; extensions: { code: string } }[] };

function refused(code: string, message: string): Answer {
  return { errors: [{ message, extensions: { code } }] };
}

export class FakeNotesServer {
  readonly notes = new Map<string, Note>();
  readonly calls: Call[] = [];
  /** Notes per page, whatever `first` asks (small, so tests page). */
  pageSize = 50;
  /** Whether mutations publish their events (the server does). */
  publishes = true;
  /** A refusal for the next call of an operation, by name. */
  readonly refuseNext = new Map<string, { code: string; message: string }>();
  /** Every event published, in offset order (the server's event log). */
  readonly log: NoteEvent[] = [];
  /** Offsets up to this index of `log` are past retention: a `since` among them is
   * refused with `EVENTS_EXPIRED`. */
  private retainedFrom = 0;
  /** The socket is down: live events reach no open subscription. */
  private down = false;
  /** `noteEvents` subscriptions running now. */
  subscribers = 0;
  private readonly events = makeSubject<NoteEvent>();
  readonly client: Client;

  constructor(notes: Note[] = []) {
    for (const note of notes) this.notes.set(note.id, note);
    this.client = new Client({ url: 'http://lossy.test/graphql', exchanges: [this.exchange] });
  }

  callsOf(name: string): Call[] {
    return this.calls.filter((call) => call.name === name);
  }

  /** Logs an event with the next offset and publishes it to every `noteEvents` subscriber
   * (none while the socket is down). Answers the event as sent. */
  emit(event: NewEvent): NoteEvent {
    const sequenced: NoteEvent = { ...event, offset: offsetAt(this.log.length) };
    this.log.push(sequenced);
    if (!this.down) this.events.next(sequenced);
    return sequenced;
  }

  /** The offset of the last event published. */
  get lastOffset(): string | null {
    return this.log.at(-1)?.offset ?? null;
  }

  /** The socket drops: open subscriptions hear nothing more until `reconnect`. */
  drop(): void {
    this.down = true;
  }

  /** The socket is back; subscriptions still open hear live events again. */
  reconnect(): void {
    this.down = false;
  }

  /** Every event so far is past retention. */
  expire(): void {
    this.retainedFrom = this.log.length;
  }

  private readonly exchange: Exchange = () => (operations$) => {
    const shared = pipe(operations$, share);
    const teardowns = pipe(
      shared,
      filter((op) => op.kind === 'teardown'),
    );
    return pipe(
      shared,
      filter((op) => op.kind !== 'teardown'),
      mergeMap((op): Source<OperationResult> => {
        const name = getOperationName(op.query) ?? '?';
        const variables = (op.variables ?? {}) as Record<string, unknown>;
        this.calls.push({ name, variables });
        if (op.kind === 'subscription') {
          const since = typeof variables.since === 'string' ? variables.since : null;
          const refusal = since === null ? null : this.refusesSince(since);
          if (refusal) {
            return fromPromise(Promise.resolve(makeResult(op, refusal)));
          }
          const replay = since === null ? [] : this.after(since, variables.videoId);
          let live = true;
          this.subscribers += 1;
          return pipe(
            concat([fromArray(replay), this.events.source]),
            filter((event) => videoOf(event) === variables.videoId),
            mergeMap((event) =>
              fromPromise(Promise.resolve(makeResult(op, { data: { noteEvents: event } }))),
            ),
            takeUntil(
              pipe(
                teardowns,
                filter((t) => t.key === op.key),
                filter(() => {
                  if (live) this.subscribers -= 1;
                  live = false;
                  return true;
                }),
              ),
            ),
          );
        }
        const answer = this.answer(name, variables);
        return merge([fromPromise(Promise.resolve().then(() => makeResult(op, answer)))]);
      }),
    );
  };

  private answer(name: string, variables: Record<string, unknown>): Answer {
    const refusal = this.refuseNext.get(name);
    if (refusal) {
      this.refuseNext.delete(name);
      return refused(refusal.code, refusal.message);
    }
    switch (name) {
      case 'NotesPage':
        return this.page(variables);
      case 'Note': {
        const note = this.notes.get(variables.id as string);
        return note ? { data: { note } } : refused('NOT_FOUND', 'note not found');
      }
      case 'CreateNote': {
        const input = variables.input as {
          text: string;
          category: Note['category'] | null;
          timestampSeconds: number;
        };
        const note = makeNote({
          text: input.text,
          category: input.category ?? 'GENERAL',
          timestampSeconds: input.timestampSeconds,
          status: 'FIRMED',
        });
        this.notes.set(note.id, note);
        if (this.publishes) this.emit({ __typename: 'NoteCreated', note });
        return { data: { createNote: note } };
      }
      case 'UpdateNote': {
        const input = variables.input as { id: string; version: number } & Partial<Note>;
        const note = this.notes.get(input.id);
        if (!note) return refused('NOT_FOUND', 'note not found');
        if (note.deletedAt)
          return refused('NOTE_DELETED', 'this note is deleted; restore it before changing it');
        if (note.version !== input.version) {
          return refused(
            'CONFLICT',
            `the note is at version ${note.version}, not ${input.version}; read it again and retry`,
          );
        }
        const changed: Note = {
          ...note,
          text: input.text ?? note.text,
          category: input.category ?? note.category,
          status: input.status ?? note.status,
          version: note.version + 1,
        };
        return { data: { updateNote: this.store(changed) } };
      }
      case 'DeleteNote': {
        const note = this.notes.get(variables.id as string);
        if (!note) return refused('NOT_FOUND', 'note not found');
        const deleted = { ...note, deletedAt: '2026-12-01T12:00:00Z', version: note.version + 1 };
        this.notes.set(note.id, deleted);
        if (this.publishes)
          this.emit({ __typename: 'NoteDeleted', noteId: note.id, videoId: note.videoId });
        return { data: { deleteNote: deleted } };
      }
      case 'RestoreNote': {
        const note = this.notes.get(variables.id as string);
        if (!note) return refused('NOT_FOUND', 'note not found');
        return {
          data: {
            restoreNote: this.store({ ...note, deletedAt: null, version: note.version + 1 }),
          },
        };
      }
      default:
        return refused('INTERNAL', `the fake server does not know ${name}`);
    }
  }

  /** A note made by another client: saved and published. */
  add(note: Note): Note {
    this.notes.set(note.id, note);
    if (this.publishes) this.emit({ __typename: 'NoteCreated', note });
    return note;
  }

  /** Saves a changed note and publishes it, as `updateNote` and `restoreNote` do. */
  store(note: Note): Note {
    this.notes.set(note.id, note);
    if (this.publishes) this.emit({ __typename: 'NoteUpdated', note });
    return note;
  }

  /** Where `since` stands in the log: -1 for the offset before the first event. */
  private indexOf(since: string): number | null {
    if (since === START_OFFSET) return -1;
    const at = this.log.findIndex((event) => event.offset === since);
    return at < 0 ? null : at;
  }

  private refusesSince(since: string): Answer | null {
    const at = this.indexOf(since);
    if (at === null) return refused('BAD_USER_INPUT', 'since is not an offset of this stream');
    // Nothing expired yet: every offset, the one before the first event too, can resume.
    if (this.retainedFrom > 0 && at < this.retainedFrom) {
      return refused('EVENTS_EXPIRED', 'these events are no longer kept; reload the notes');
    }
    return null;
  }

  private after(since: string, videoId: unknown): NoteEvent[] {
    const at = this.indexOf(since) ?? -1;
    return this.log.slice(at + 1).filter((event) => videoOf(event) === videoId);
  }

  private page(variables: Record<string, unknown>): Answer {
    const all = [...this.notes.values()].sort(compareNotes);
    const start = variables.after ? Number(variables.after) : 0;
    const size = Math.min(this.pageSize, Number(variables.first));
    const nodes = all.slice(start, start + size);
    const end = start + nodes.length;
    const shown = all.filter(
      (note) => note.deletedAt === null && !['SUPPRESSED', 'CANCELLED'].includes(note.status),
    );
    return {
      data: {
        ...(variables.withSummary
          ? {
              video: {
                id: variables.videoId,
                noteSummary: { totalCount: shown.length, countsByCategory: [], countsByStatus: [] },
              },
            }
          : {}),
        notes: {
          nodes,
          pageInfo: { hasNextPage: end < all.length, endCursor: String(end) },
          totalCount: all.length,
          offset: this.lastOffset ?? START_OFFSET,
        },
      },
    };
  }
}

/** The offset a list answers before any event, as the server's is (the user's 0th). */
const START_OFFSET = 'offset-000000';

/** Offsets as the server's are: opaque, and (here) ordered as strings too. */
function offsetAt(index: number): string {
  return `offset-${String(index + 1).padStart(6, '0')}`;
}

function videoOf(event: NoteEvent): string {
  switch (event.__typename) {
    case 'NoteCreated':
    case 'NoteUpdated':
      return event.note.videoId;
    case 'NoteDeleted':
    case 'VideoSummaryUpdated':
      return event.videoId;
  }
}
