// The panel's note: the fields its operations read (`PanelNote`), held in memory only (no cache
// of notes) and merged by the rules every Lossy front end shares (@lossy/common/notes).

import { emptyNotes, type NoteSet as NoteSetOf } from '@lossy/common/notes';

import type { PanelNoteEventsSubscription, PanelNoteFragment } from '@/gql/graphql';

export type Note = PanelNoteFragment;
export type NoteEvent = PanelNoteEventsSubscription['noteEvents'];
export type NoteSet = NoteSetOf<Note>;

export const EMPTY_NOTES: NoteSet = emptyNotes<Note>();
