// Which tab each browser window shows, and which window the reviewer is in. Chrome's side
// panel is per window, so each panel follows its own window's tab; only the focused window's
// tab claims the video context by itself (PROTOCOL.md section 7: the last active tab wins).
// Pure: main.ts feeds it Chrome's tab and window events, and keeps it in session storage.

export interface Windows {
  /** The tab each window shows, by window id: its last active tab that is not one of the
   * extension's own pages (a side panel or popup opened as a tab is never a video). */
  readonly shown: Readonly<Record<number, number>>;
  /** The window the reviewer was in last. Kept while the browser itself has no focus (another
   * application), as `lastFocusedWindow` does. */
  readonly focused: number | null;
}

export const NO_WINDOWS: Windows = { shown: {}, focused: null };

function without(
  shown: Readonly<Record<number, number>>,
  keep: (windowId: number, tabId: number) => boolean,
) {
  return Object.fromEntries(
    Object.entries(shown).filter(([windowId, tabId]) => keep(Number(windowId), tabId)),
  ) as Record<number, number>;
}

/** A tab became the active one of its window. A tab is in one window only: one dragged to
 * another window leaves the one it came from. */
export function tabActivated(windows: Windows, windowId: number, tabId: number): Windows {
  if (windows.shown[windowId] === tabId) return windows;
  const shown = without(windows.shown, (_, shownTab) => shownTab !== tabId);
  shown[windowId] = tabId;
  return { ...windows, shown };
}

/** A window got the focus; `null` when the browser lost it (the last window stays the one). */
export function windowFocused(windows: Windows, windowId: number | null): Windows {
  if (windowId === null || windows.focused === windowId) return windows;
  return { ...windows, focused: windowId };
}

export function tabClosed(windows: Windows, tabId: number): Windows {
  if (!Object.values(windows.shown).includes(tabId)) return windows;
  return { ...windows, shown: without(windows.shown, (_, shownTab) => shownTab !== tabId) };
}

export function windowClosed(windows: Windows, windowId: number): Windows {
  if (!(windowId in windows.shown) && windows.focused !== windowId) return windows;
  return {
    shown: without(windows.shown, (id) => id !== windowId),
    focused: windows.focused === windowId ? null : windows.focused,
  };
}

/** The tab a window's panels follow; `null` (a panel that did not say its window) means the
 * focused window. */
export function shownTab(windows: Windows, windowId: number | null): number | null {
  const id = windowId ?? windows.focused;
  if (id === null) return null;
  return windows.shown[id] ?? null;
}

/** The one tab that claims the video context by itself: the focused window's. */
export function claimingTab(windows: Windows): number | null {
  return shownTab(windows, null);
}

/** One open window as Chrome lists it when the worker starts. */
export interface OpenWindow {
  windowId: number;
  /** Its active tab, or null when that is one of the extension's own pages. */
  activeTab: number | null;
  tabs: readonly number[];
}

/**
 * What a (re)started worker believes: the open windows' active tabs, and for a window whose
 * active tab is one of the extension's pages, the tab it showed before (kept in session
 * storage) if that tab is still in it. Windows and tabs that are gone are forgotten.
 */
export function reconcile(
  stored: Windows,
  open: readonly OpenWindow[],
  focused: number | null,
): Windows {
  const shown: Record<number, number> = {};
  for (const window of open) {
    const before = stored.shown[window.windowId];
    const tab =
      window.activeTab ?? (before !== undefined && window.tabs.includes(before) ? before : null);
    if (tab !== null) shown[window.windowId] = tab;
  }
  const isOpen = (id: number | null) => id !== null && open.some((w) => w.windowId === id);
  return {
    shown,
    focused: isOpen(focused) ? focused : isOpen(stored.focused) ? stored.focused : null,
  };
}

/** Reads what session storage kept, refusing anything that is not a `Windows`. */
export function parseWindows(value: unknown): Windows {
  if (typeof value !== 'object' || value === null) return NO_WINDOWS;
  const { shown, focused } = value as { shown?: unknown; focused?: unknown };
  const entries =
    typeof shown === 'object' && shown !== null
      ? Object.entries(shown).filter(
          (entry): entry is [string, number] =>
            Number.isInteger(Number(entry[0])) && Number.isInteger(entry[1]),
        )
      : [];
  return {
    shown: Object.fromEntries(entries.map(([windowId, tabId]) => [Number(windowId), tabId])),
    focused: Number.isInteger(focused) ? (focused as number) : null,
  };
}
