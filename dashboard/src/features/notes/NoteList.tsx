import { VirtualNoteList } from '@lossy/common/ui';
import { useMemo } from 'react';

import type { Note } from './note';
import { NoteItem, type NoteActions } from './NoteItem';
import type { NoteUiMap } from './noteUi';

/** A first guess at a row's height; each row is measured once drawn. */
const ESTIMATED_ROW = 128;

/**
 * The notes, virtualised (@lossy/common/ui's VirtualNoteList): rows with an open editor stay
 * drawn when scrolled away, so drafts are never lost; `j` / `k` move between notes.
 */
export function NoteList({
  notes,
  ui,
  actions,
  opensExternally,
}: {
  notes: readonly Note[];
  ui: NoteUiMap;
  actions: NoteActions;
  opensExternally: boolean;
}) {
  const editing = useMemo(() => {
    const ids = new Set<string>();
    for (const [id, state] of ui) if (state.edit) ids.add(id);
    return ids;
  }, [ui]);
  return (
    <VirtualNoteList
      items={notes}
      pinned={editing}
      estimatedRowHeight={ESTIMATED_ROW}
      label="Notes in video order (j and k move between notes)"
      renderItem={(note) => (
        <NoteItem
          note={note}
          ui={ui.get(note.id)}
          actions={actions}
          opensExternally={opensExternally}
        />
      )}
    />
  );
}
