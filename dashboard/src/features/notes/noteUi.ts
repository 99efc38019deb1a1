// What the page keeps about each note beside the note itself: an open editor with the
// reader's draft, an action under way, the last error, whether a long text is expanded. Kept
// above the rows, so it survives a row scrolling out of the virtualised list.

import type { NoteCategory } from '@/gql/graphql';

import type { Note } from './note';

export interface NoteEdit {
  text: string;
  category: NoteCategory;
  /** The version the reader started from; a save sends it, so a change made meanwhile
   * elsewhere is a `CONFLICT`, not silently overwritten. */
  baseVersion: number;
  /** The note as the server has it, after a conflict or a deletion elsewhere. */
  conflict: Note | null;
}

export interface NoteUi {
  edit: NoteEdit | null;
  busy: boolean;
  error: string | null;
  errorField: string | null;
  expanded: boolean;
}

export const IDLE: NoteUi = {
  edit: null,
  busy: false,
  error: null,
  errorField: null,
  expanded: false,
};

export type NoteUiMap = ReadonlyMap<string, NoteUi>;

/** `map` with `id`'s state changed; idle entries are dropped. */
export function patchUi(map: NoteUiMap, id: string, change: Partial<NoteUi>): NoteUiMap {
  const next = new Map(map);
  const ui = { ...(map.get(id) ?? IDLE), ...change };
  if (ui.edit === null && !ui.busy && ui.error === null && !ui.expanded) next.delete(id);
  else next.set(id, ui);
  return next;
}

/** Notes that stay in the list whatever the filter says: those with an editor or an error. */
export function pinnedIds(map: NoteUiMap): Set<string> {
  const ids = new Set<string>();
  for (const [id, ui] of map) if (ui.edit !== null || ui.error !== null) ids.add(id);
  return ids;
}
