// A video's notes as the worker keeps them for its markers (merged by version with the rules
// every Lossy front end shares, @lossy/common/notes, through src/shared/videoNotes.ts), and
// the markers the content script draws from them.

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
