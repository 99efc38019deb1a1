// Notes as both apps hold, filter and name them. One way in: `@lossy/common/notes`.

export type { NoteCategory, NoteStatus } from '../schema';
export { CATEGORIES, CATEGORY_COLORS, categoryLabel, everyCategoryListed } from './category';
export {
  DEFAULT_FILTER,
  isFiltering,
  noteMatcher,
  shownStatuses,
  toggled,
  visibleNotes,
  type FilterableNote,
  type NoteFilter,
} from './filter';
export {
  applyEvent,
  compareNotes,
  emptyNotes,
  markDeleted,
  upsertNotes,
  type MergeableNote,
  type NoteEvent,
  type NoteSet,
  type NoteSource,
} from './merge';
export {
  canKeep,
  canResolve,
  everyStatusListed,
  formatConfidence,
  HIDDEN_STATUSES,
  LISTED_STATUSES,
  statusLabel,
} from './status';
export { EVENTS_EXPIRED, refusesResume } from './stream';
