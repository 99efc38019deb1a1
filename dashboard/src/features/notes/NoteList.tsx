import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';

import type { Note } from './merge';
import { NoteItem, type NoteActions } from './NoteItem';
import type { NoteUiMap } from './noteUi';

/** A first guess at a row's height; each row is measured once drawn. */
const ESTIMATED_ROW = 128;

/**
 * The notes, virtualised: only the rows in view (and a few around them) are in the DOM, so
 * 10,000 notes scroll as smoothly as 10. The row holding focus and rows with an open editor
 * stay drawn when scrolled away, so focus and drafts are never lost. `j` / `k` move between
 * notes (focus lands on the note's time: Enter plays from there).
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
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<number | null>(null);
  const focusNext = useRef<number | null>(null);

  const keepDrawn = useMemo(() => {
    const indexes: number[] = [];
    if (active !== null && active < notes.length) indexes.push(active);
    if (ui.size > 0) {
      notes.forEach((note, index) => {
        if (ui.get(note.id)?.edit) indexes.push(index);
      });
    }
    return indexes;
  }, [active, notes, ui]);
  const rangeExtractor = useCallback(
    (range: Range) => {
      const drawn = new Set(defaultRangeExtractor(range));
      for (const index of keepDrawn) drawn.add(index);
      return [...drawn].sort((a, b) => a - b);
    },
    [keepDrawn],
  );

  // TanStack Virtual's functions change with every scroll; this component is not memoised.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: notes.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_ROW,
    getItemKey: (index) => notes[index]?.id ?? index,
    overscan: 6,
    rangeExtractor,
  });

  useEffect(() => {
    const index = focusNext.current;
    if (index === null) return;
    const time = scroller.current?.querySelector<HTMLElement>(`[data-index="${index}"] .note-time`);
    if (time) {
      focusNext.current = null;
      time.focus();
    }
  });

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const target = event.target as HTMLElement;
    if (target.closest('input, textarea, select, [contenteditable="true"]')) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key !== 'j' && event.key !== 'k') return;
    if (notes.length === 0) return;
    event.preventDefault();
    const from = active ?? -1;
    const to =
      event.key === 'j'
        ? Math.min(notes.length - 1, from + 1)
        : Math.max(0, from < 0 ? 0 : from - 1);
    focusNext.current = to;
    setActive(to);
    virtualizer.scrollToIndex(to, { align: 'auto' });
  }

  const items = virtualizer.getVirtualItems();
  return (
    // j / k and focus come from the rows' buttons, delegated here.
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions
    <div
      ref={scroller}
      className="notes-scroller"
      role="region"
      aria-label="Notes in video order (j and k move between notes)"
      onKeyDown={onKeyDown}
      onFocus={(event) => {
        const row = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
        if (row) setActive(Number(row.dataset.index));
      }}
    >
      <ul className="notes-list" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const note = notes[item.index];
          if (!note) return null;
          return (
            <li
              key={item.key}
              ref={virtualizer.measureElement}
              data-index={item.index}
              className="notes-row"
              aria-setsize={notes.length}
              aria-posinset={item.index + 1}
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <NoteItem
                note={note}
                ui={ui.get(note.id)}
                actions={actions}
                opensExternally={opensExternally}
              />
            </li>
          );
        })}
      </ul>
    </div>
  );
}
