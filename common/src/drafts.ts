import { useCallback, useState } from 'react';

// What a reviewer is typing, kept in localStorage (the web app's origin, or the extension's) so
// a reload, an expired session or a panel that shows another video for a while does not lose
// it.
const PREFIX = 'lossy:draft:';

/** The stored draft under `key`, if `accept` takes it (it answers null for what it refuses). */
export function readDraft<T>(key: string, accept: (stored: unknown) => T | null): T | null {
  try {
    const stored = window.localStorage.getItem(PREFIX + key);
    return stored === null ? null : accept(JSON.parse(stored));
  } catch {
    return null;
  }
}

/** Stores `value` under `key`; null (or undefined) forgets the draft. */
export function writeDraft(key: string, value: unknown): void {
  try {
    if (value === null || value === undefined) window.localStorage.removeItem(PREFIX + key);
    else window.localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Storage full or refused (private mode): the draft still lives in memory.
  }
}

/**
 * Something the reader is typing, kept under `key` (nothing is stored when `key` is null).
 * `accept` checks what was stored (an older shape, another app's value) and answers null to
 * refuse it; `initial` is used then. `clear` forgets the draft once it is saved. Another
 * `key` reads its own draft.
 */
export function useDraft<T>(
  key: string | null,
  initial: T,
  accept: (stored: unknown) => T | null,
): [T, (next: T | ((previous: T) => T)) => void, () => void] {
  const load = (k: string | null): T => (k === null ? initial : (readDraft(k, accept) ?? initial));
  const [state, setState] = useState(() => ({ key, value: load(key) }));
  // A new key: its own draft, read during render rather than in an effect that would first
  // show the old one.
  let current = state;
  if (state.key !== key) {
    current = { key, value: load(key) };
    setState(current);
  }

  const set = useCallback(
    (next: T | ((previous: T) => T)) => {
      setState((previous) => {
        const value =
          typeof next === 'function' ? (next as (previous: T) => T)(previous.value) : next;
        if (key !== null) writeDraft(key, value);
        return { key, value };
      });
    },
    [key],
  );
  const clear = useCallback(() => {
    if (key !== null) writeDraft(key, null);
    setState({ key, value: initial });
  }, [key, initial]);

  return [current.value, set, clear];
}
