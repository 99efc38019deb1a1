// One video's notes as the worker keeps them in memory: merged by `version` (an event older
// than what we hold is ignored, whatever order the query and the stream deliver them in), and
// turned into the markers the content script draws.

import type { Marker } from '@/shared/messages';

export interface VideoNote {
  id: string;
  videoId: string;
  text: string;
  category: string;
  status: string;
  timestampSeconds: number;
  version: number;
  deletedAt: string | null;
}

export type NoteChange = { kind: 'upsert'; note: VideoNote } | { kind: 'deleted'; noteId: string };

/** Applies a change; returns whether anything changed. */
export function applyChange(notes: Map<string, VideoNote>, change: NoteChange): boolean {
  if (change.kind === 'deleted') {
    const held = notes.get(change.noteId);
    if (!held || held.deletedAt !== null) return false;
    // NoteDeleted carries no version; the next NoteUpdated (restore) will.
    notes.set(change.noteId, { ...held, deletedAt: 'deleted' });
    return true;
  }
  const held = notes.get(change.note.id);
  if (held && held.version >= change.note.version) return false;
  notes.set(change.note.id, change.note);
  return true;
}

/** Statuses the quality gate or the reviewer took off the video. */
const HIDDEN = new Set(['SUPPRESSED', 'CANCELLED']);

export function markersOf(notes: Iterable<VideoNote>): Marker[] {
  return [...notes]
    .filter((note) => note.deletedAt === null && !HIDDEN.has(note.status))
    .sort((a, b) => a.timestampSeconds - b.timestampSeconds || a.id.localeCompare(b.id))
    .map((note) => ({
      noteId: note.id,
      seconds: note.timestampSeconds,
      category: note.category,
      text: note.text,
    }));
}

/** Reads one `noteEvents` payload; null for events that do not touch a note. */
export function changeOf(event: unknown): NoteChange | null {
  const value = event as { __typename?: string; note?: VideoNote; noteId?: string } | null;
  switch (value?.__typename) {
    case 'NoteCreated':
    case 'NoteUpdated':
      return value.note ? { kind: 'upsert', note: value.note } : null;
    case 'NoteDeleted':
      return value.noteId ? { kind: 'deleted', noteId: value.noteId } : null;
    default:
      return null;
  }
}
