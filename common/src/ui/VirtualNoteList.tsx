// A long list of notes in video order, virtualised, with the keyboard reviewers use in both
// apps: j / k (and the arrows) move between notes, focus landing on the note's time (Enter
// plays from there); an app adds its own keys (the side panel's e and Delete) through
// `onItemKey`. Only the rows in view and a few around them are in the DOM, so a video with
// thousands of notes scrolls as smoothly as one with ten. The row holding focus and the
// `pinned` rows (an open editor, an error) stay drawn when scrolled away, so focus and drafts
// are never lost.

import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type Ref,
} from 'react';

/** Inside a row, what takes focus when the keyboard moves to it. */
export const ROW_FOCUS_SELECTOR = '.note-time';

export interface VirtualNoteListHandle {
  /** Scrolls to the row of `id` and focuses it (now, or once it is drawn). */
  focusItem(id: string): void;
}

export interface VirtualNoteListProps<T extends { readonly id: string }> {
  items: readonly T[];
  renderItem: (item: T, active: boolean) => ReactNode;
  /** Names the list for assistive technology, with its keys. */
  label: string;
  /** Ids of rows that stay drawn whatever the scroll position. */
  pinned?: ReadonlySet<string>;
  /** A first guess at a row's height in pixels; each row is measured once drawn. */
  estimatedRowHeight: number;
  /** Keys beyond moving, for the row that holds focus: answer true when handled. */
  onItemKey?: (item: T, event: KeyboardEvent<HTMLElement>) => boolean;
  className?: string;
  /** Gives `focusItem(id)`. */
  ref?: Ref<VirtualNoteListHandle>;
}

/** Which row the keys `j` / `k` (or arrows) lead to from `from`, or null for another key. */
export function nextIndex(key: string, from: number | null, count: number): number | null {
  if (count === 0) return null;
  if (key === 'j' || key === 'ArrowDown') return Math.min(count - 1, (from ?? -1) + 1);
  if (key === 'k' || key === 'ArrowUp') return Math.max(0, (from ?? 0) - 1);
  return null;
}

function isTyping(target: HTMLElement): boolean {
  return target.closest('input, textarea, select, [contenteditable="true"]') !== null;
}

/** See the file's comment. */
export function VirtualNoteList<T extends { readonly id: string }>({
  items,
  renderItem,
  label,
  pinned,
  estimatedRowHeight,
  onItemKey,
  className,
  ref,
}: VirtualNoteListProps<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const focusNext = useRef<string | null>(null);

  const indexById = useMemo(() => new Map(items.map((item, index) => [item.id, index])), [items]);
  const active = activeId === null ? null : (indexById.get(activeId) ?? null);

  const keepDrawn = useMemo(() => {
    const indexes: number[] = [];
    if (active !== null) indexes.push(active);
    for (const id of pinned ?? []) {
      const index = indexById.get(id);
      if (index !== undefined) indexes.push(index);
    }
    return indexes;
  }, [active, pinned, indexById]);
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
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => estimatedRowHeight,
    getItemKey: (index) => items[index]?.id ?? index,
    overscan: 6,
    rangeExtractor,
  });

  // A row asked for may not be listed yet (a restored note arrives with the server's event):
  // the request waits, and the effect below scrolls to it and focuses it once it is.
  const moveTo = useCallback(
    (id: string) => {
      focusNext.current = id;
      setActiveId(id);
      const index = indexById.get(id);
      if (index !== undefined) virtualizer.scrollToIndex(index, { align: 'auto' });
    },
    [indexById, virtualizer],
  );
  useImperativeHandle(ref, () => ({ focusItem: moveTo }), [moveTo]);

  // Focus waits for the row to be drawn (a scroll renders it a frame later).
  useEffect(() => {
    const id = focusNext.current;
    if (id === null) return;
    const row = scroller.current?.querySelector<HTMLElement>(`[data-item-id="${CSS.escape(id)}"]`);
    const target = row?.querySelector<HTMLElement>(ROW_FOCUS_SELECTOR);
    if (target) {
      focusNext.current = null;
      target.focus();
      return;
    }
    const index = indexById.get(id);
    if (!row && index !== undefined) virtualizer.scrollToIndex(index, { align: 'auto' });
  });

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    const target = event.target as HTMLElement;
    // Typing is never taken: keys in a field belong to the field.
    if (isTyping(target)) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const rowId = target.closest<HTMLElement>('[data-item-id]')?.dataset.itemId ?? activeId;
    const from = rowId === null ? null : (indexById.get(rowId) ?? null);
    const to = nextIndex(event.key, from, items.length);
    if (to !== null) {
      event.preventDefault();
      const item = items[to];
      if (item) moveTo(item.id);
      return;
    }
    const item = from === null ? undefined : items[from];
    if (item && onItemKey?.(item, event)) event.preventDefault();
  }

  return (
    // The keys come from the rows' buttons, delegated here.
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions
    <div
      ref={scroller}
      className={['notes-scroller', className].filter(Boolean).join(' ')}
      role="region"
      aria-label={label}
      onKeyDown={onKeyDown}
      onFocus={(event) => {
        const id = (event.target as HTMLElement).closest<HTMLElement>('[data-item-id]')?.dataset
          .itemId;
        if (id !== undefined) setActiveId(id);
      }}
    >
      <ul className="notes-list" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((row) => {
          const item = items[row.index];
          if (!item) return null;
          return (
            <li
              key={row.key}
              ref={virtualizer.measureElement}
              data-index={row.index}
              data-item-id={item.id}
              className={item.id === activeId ? 'notes-row active' : 'notes-row'}
              aria-setsize={items.length}
              aria-posinset={row.index + 1}
              style={{ transform: `translateY(${row.start}px)` }}
            >
              {renderItem(item, item.id === activeId)}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
