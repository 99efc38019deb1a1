// Writes the panel handed to the outbox and has not yet seen land. The server's own event is
// the proof (the panel shows only what the server published), so a write stops "waiting"
// when the note set shows its effect, when the worker says it was acknowledged, or when the
// server refused it (then it becomes an error beside its note).

import type { NoteCategory, NoteStatus } from '@/gql/graphql';

import type { Note, NoteSet } from './note';

export type Pending =
  | { kind: 'create'; key: string; videoId: string; text: string; timestampSeconds: number }
  | {
      kind: 'update';
      key: string;
      noteId: string;
      baseVersion: number;
      change: { text?: string; category?: NoteCategory; status?: NoteStatus };
    }
  | { kind: 'delete'; key: string; noteId: string; baseVersion: number }
  | { kind: 'restore'; key: string; noteId: string; baseVersion: number };

/** Times are Floats; a typed note lands at the time it was sent with. */
const SAME_TIME = 0.001;

function landed(pending: Pending, notes: NoteSet): boolean {
  if (pending.kind === 'create') {
    for (const note of notes.byId.values()) {
      if (
        note.videoId === pending.videoId &&
        note.text === pending.text &&
        Math.abs(note.timestampSeconds - pending.timestampSeconds) < SAME_TIME
      ) {
        return true;
      }
    }
    return false;
  }
  const note = notes.byId.get(pending.noteId);
  if (!note || note.version <= pending.baseVersion) return false;
  switch (pending.kind) {
    case 'update':
      return true;
    case 'delete':
      // Deleted, or already past the deletion (restored since: a later version).
      return note.deletedAt !== null || note.version > pending.baseVersion + 1;
    case 'restore':
      return note.deletedAt === null;
  }
}

/** The pending writes the notes do not show yet (the same array when none landed). */
export function settle(pending: readonly Pending[], notes: NoteSet): readonly Pending[] {
  const rest = pending.filter((write) => !landed(write, notes));
  return rest.length === pending.length ? pending : rest;
}

export function waitingNoteIds(pending: readonly Pending[]): Set<string> {
  const ids = new Set<string>();
  for (const write of pending) if (write.kind !== 'create') ids.add(write.noteId);
  return ids;
}

/** Whether the panel should list `note` as deleted, counting writes not yet landed. */
export function looksDeleted(note: Note, pending: readonly Pending[]): boolean {
  let deleted = note.deletedAt !== null;
  for (const write of pending) {
    if (write.kind === 'delete' && write.noteId === note.id) deleted = true;
    if (write.kind === 'restore' && write.noteId === note.id) deleted = false;
  }
  return deleted;
}
