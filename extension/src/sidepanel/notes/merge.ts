// The video's notes as the panel holds them in memory (PROTOCOL.md: no cache of notes),
// merged from pages of `notes(...)` and `noteEvents`, which can arrive in any order. Every
// change bumps a note's `version`: a newer version replaces what is held, an older or equal
// one never does.
//
// `NoteDeleted` carries no version. The deletion bumped it on the server, so a held note is
// marked deleted at version + 1: a page read before the deletion (at the old version) cannot
// bring it back, while `restoreNote`, published as `NoteUpdated` with a higher version, does.

import type { PanelNoteEventsSubscription, PanelNoteFragment } from '@/gql/graphql';

export type Note = PanelNoteFragment;
export type NoteEvent = PanelNoteEventsSubscription['noteEvents'];

export interface NoteSet {
  readonly byId: ReadonlyMap<string, Note>;
  /** In video order: `timestampSeconds`, then `id` (the server's order). */
  readonly sorted: readonly Note[];
}

export const EMPTY_NOTES: NoteSet = { byId: new Map(), sorted: [] };

export function compareNotes(a: Note, b: Note): number {
  if (a.timestampSeconds !== b.timestampSeconds) return a.timestampSeconds - b.timestampSeconds;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

/** Adds or replaces notes by version; answers the same set when nothing changed. */
export function upsertNotes(set: NoteSet, notes: readonly Note[]): NoteSet {
  let byId: Map<string, Note> | null = null;
  for (const note of notes) {
    const held = (byId ?? set.byId).get(note.id);
    if (held && note.version <= held.version) continue;
    byId ??= new Map(set.byId);
    byId.set(note.id, note);
  }
  if (!byId) return set;
  // A panel holds one video's notes (hundreds at most); sorting them again is cheap.
  return { byId, sorted: [...byId.values()].sort(compareNotes) };
}

/** `NoteDeleted`: marks a held note deleted (see the file's comment for its version). */
export function markDeleted(set: NoteSet, noteId: string, deletedAt: string): NoteSet {
  const held = set.byId.get(noteId);
  if (!held || held.deletedAt !== null) return set;
  return upsertNotes(set, [{ ...held, deletedAt, version: held.version + 1 }]);
}

export function applyEvent(set: NoteSet, event: NoteEvent, now: string): NoteSet {
  switch (event.__typename) {
    case 'NoteCreated':
    case 'NoteUpdated':
      return upsertNotes(set, [event.note]);
    case 'NoteDeleted':
      return markDeleted(set, event.noteId, now);
    case 'VideoSummaryUpdated':
      return set;
  }
}
