// Which notes the list shows: the same rules as the server's `NoteFilterInput` (statuses
// asked for, or every status but suppressed and cancelled; suppressed and cancelled notes
// added on request; deleted notes hidden unless asked for), applied in the browser to the
// whole loaded list so a change of filter answers at once, even for 10,000 notes.

import type { NoteCategory, NoteStatus } from '../schema';
import type { MergeableNote } from './merge';
import { LISTED_STATUSES } from './status';

/** What filtering reads of a note. */
export interface FilterableNote extends MergeableNote {
  readonly status: NoteStatus;
  readonly category: NoteCategory;
  readonly confidence: number;
}

export interface NoteFilter {
  /** Only these; none means every category. */
  categories: readonly NoteCategory[];
  /** Only these of the listed statuses; none means all of them. */
  statuses: readonly NoteStatus[];
  /** 0..1; notes below it are hidden. */
  minConfidence: number;
  showSuppressed: boolean;
  showCancelled: boolean;
  showDeleted: boolean;
}

export const DEFAULT_FILTER: NoteFilter = {
  categories: [],
  statuses: [],
  minConfidence: 0,
  showSuppressed: false,
  showCancelled: false,
  showDeleted: false,
};

/** The statuses a filter lets through. */
export function shownStatuses(filter: NoteFilter): Set<NoteStatus> {
  const shown = new Set<NoteStatus>(filter.statuses.length > 0 ? filter.statuses : LISTED_STATUSES);
  if (filter.showSuppressed) shown.add('SUPPRESSED');
  if (filter.showCancelled) shown.add('CANCELLED');
  return shown;
}

/** A predicate for one filter (the status set is worked out once, not once per note). */
export function noteMatcher(filter: NoteFilter): (note: FilterableNote) => boolean {
  const statuses = shownStatuses(filter);
  const categories = filter.categories.length > 0 ? new Set(filter.categories) : null;
  return (note) =>
    statuses.has(note.status) &&
    (categories === null || categories.has(note.category)) &&
    note.confidence >= filter.minConfidence &&
    (filter.showDeleted || note.deletedAt === null);
}

/**
 * The notes to show, in the order given (video order). Notes in `keep` stay whatever the
 * filter says: a note being edited does not vanish under the reviewer's hands when it changes
 * elsewhere.
 */
export function visibleNotes<N extends FilterableNote>(
  sorted: readonly N[],
  filter: NoteFilter,
  keep: ReadonlySet<string> = new Set(),
): N[] {
  const matches = noteMatcher(filter);
  return sorted.filter((note) => matches(note) || keep.has(note.id));
}

/** `list` with `value` in it or not: `on` says which, or else it flips. For filter chips. */
export function toggled<T>(list: readonly T[], value: T, on = !list.includes(value)): T[] {
  const without = list.filter((item) => item !== value);
  return on ? [...without, value] : without;
}

/** Whether the filter differs from the default (the list says so, and offers to clear it). */
export function isFiltering(filter: NoteFilter): boolean {
  return (
    filter.categories.length > 0 ||
    filter.statuses.length > 0 ||
    filter.minConfidence > 0 ||
    filter.showSuppressed ||
    filter.showCancelled ||
    filter.showDeleted
  );
}
