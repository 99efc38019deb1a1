// A fake Lossy server for component tests: a real urql Client whose one exchange answers the
// notes operations from memory, the way the server does (versions, CONFLICT, NOTE_DELETED,
// soft deletion, events on `noteEvents`). Tests can hold answers back to reorder them.

import { Client, getOperationName, makeResult, type Exchange, type OperationResult } from 'urql';
import {
  filter,
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
  private readonly events = makeSubject<NoteEvent>();
  readonly client: Client;

  constructor(notes: Note[] = []) {
    for (const note of notes) this.notes.set(note.id, note);
    this.client = new Client({ url: 'http://lossy.test/graphql', exchanges: [this.exchange] });
  }

  callsOf(name: string): Call[] {
    return this.calls.filter((call) => call.name === name);
  }

  /** Publishes an event to every `noteEvents` subscriber. */
  emit(event: NoteEvent): void {
    this.events.next(event);
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
          return pipe(
            this.events.source,
            mergeMap((event) =>
              fromPromise(Promise.resolve(makeResult(op, { data: { noteEvents: event } }))),
            ),
            takeUntil(
              pipe(
                teardowns,
                filter((t) => t.key === op.key),
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

  /** Saves a changed note and publishes it, as `updateNote` and `restoreNote` do. */
  store(note: Note): Note {
    this.notes.set(note.id, note);
    if (this.publishes) this.emit({ __typename: 'NoteUpdated', note });
    return note;
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
        },
      },
    };
  }
}
