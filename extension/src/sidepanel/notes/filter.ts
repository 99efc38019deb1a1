// Which notes the list shows: by category and by status (none chosen: every category, and
// every status but suppressed and cancelled, as the server's default filter does). Deleted
// notes are never listed: the undo bar stands for the one just deleted.

import type { NoteCategory, NoteStatus } from '@/gql/graphql';

import type { Note } from './merge';
import { LISTED_STATUSES } from './vocabulary';

export interface NoteFilter {
  categories: readonly NoteCategory[];
  statuses: readonly NoteStatus[];
}

export const DEFAULT_FILTER: NoteFilter = { categories: [], statuses: [] };

export function visibleNotes(
  sorted: readonly Note[],
  filter: NoteFilter,
  /** Shown whatever the filter says: a note being edited or with an error does not vanish. */
  keep: ReadonlySet<string> = new Set(),
  /** Whether a note counts as deleted (the panel also counts deletions not yet landed). */
  deleted: (note: Note) => boolean = (note) => note.deletedAt !== null,
): Note[] {
  const statuses = new Set<NoteStatus>(
    filter.statuses.length > 0 ? filter.statuses : LISTED_STATUSES,
  );
  const categories = filter.categories.length > 0 ? new Set(filter.categories) : null;
  return sorted.filter(
    (note) =>
      !deleted(note) &&
      (keep.has(note.id) ||
        (statuses.has(note.status) && (categories === null || categories.has(note.category)))),
  );
}

export function isFiltering(filter: NoteFilter): boolean {
  return filter.categories.length > 0 || filter.statuses.length > 0;
}

export function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((item) => item !== value) : [...list, value];
}
