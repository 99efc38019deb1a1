// The page's note: the fields its operations read (`NoteFields`), held and merged by the rules
// every Lossy front end shares (@lossy/common/notes).

import { emptyNotes, type NoteSet as NoteSetOf } from '@lossy/common/notes';

import type { NoteEventsSubscription, NoteFieldsFragment } from '@/gql/graphql';

export type Note = NoteFieldsFragment;
export type NoteEvent = NoteEventsSubscription['noteEvents'];
export type NoteSet = NoteSetOf<Note>;

export const EMPTY_NOTES: NoteSet = emptyNotes<Note>();
