// The React pieces both apps show. One way in: `@lossy/common/ui`.

export { CategoryChip } from './CategoryChip';
export { EmptyState, ErrorState, LoadingState } from './states';
export {
  nextIndex,
  ROW_FOCUS_SELECTOR,
  VirtualNoteList,
  type VirtualNoteListHandle,
  type VirtualNoteListProps,
} from './VirtualNoteList';
