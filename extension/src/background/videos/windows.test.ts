import { describe, expect, it } from 'vitest';

import {
  claimingTab,
  NO_WINDOWS,
  parseWindows,
  reconcile,
  shownTab,
  tabActivated,
  tabClosed,
  windowClosed,
  windowFocused,
  type Windows,
} from './windows';

/** Window 1 shows tab 11, window 2 shows tab 21, the reviewer is in window 2. */
const two: Windows = { shown: { 1: 11, 2: 21 }, focused: 2 };

describe('the tab each window shows', () => {
  it('is the window’s last active tab', () => {
    const windows = tabActivated(tabActivated(NO_WINDOWS, 1, 11), 1, 12);
    expect(shownTab(windows, 1)).toBe(12);
    expect(shownTab(windows, 2)).toBeNull();
  });

  it('belongs to one window only: a tab dragged to another window leaves the first', () => {
    const windows = tabActivated(two, 2, 11);
    expect(windows.shown).toEqual({ 2: 11 });
  });

  it('is forgotten when the tab or the window closes', () => {
    expect(shownTab(tabClosed(two, 11), 1)).toBeNull();
    expect(shownTab(tabClosed(two, 11), 2)).toBe(21);
    const closed = windowClosed(two, 2);
    expect(closed).toEqual({ shown: { 1: 11 }, focused: null });
  });

  it('is the focused window’s for a panel that did not say its window', () => {
    expect(shownTab(two, null)).toBe(21);
    expect(shownTab(windowFocused(two, 1), null)).toBe(11);
    expect(shownTab({ shown: { 1: 11 }, focused: null }, null)).toBeNull();
  });

  it('changes nothing when nothing changed (no state pushed, no claim)', () => {
    expect(tabActivated(two, 1, 11)).toBe(two);
    expect(windowFocused(two, 2)).toBe(two);
    expect(tabClosed(two, 99)).toBe(two);
    expect(windowClosed(two, 99)).toBe(two);
  });
});

describe('the tab that claims the video context', () => {
  it('is the focused window’s only', () => {
    expect(claimingTab(two)).toBe(21);
    // Activating a tab in a window the reviewer is not in does not move the claim.
    expect(claimingTab(tabActivated(two, 1, 12))).toBe(21);
    expect(claimingTab(windowFocused(two, 1))).toBe(11);
  });

  it('stays with the last window while the browser has no focus', () => {
    expect(claimingTab(windowFocused(two, null))).toBe(21);
  });

  it('is none before any window was focused', () => {
    expect(claimingTab(tabActivated(NO_WINDOWS, 1, 11))).toBeNull();
  });
});

describe('a restarted worker', () => {
  it('takes the open windows’ active tabs, and the focused window', () => {
    const windows = reconcile(
      NO_WINDOWS,
      [
        { windowId: 1, activeTab: 11, tabs: [11, 12] },
        { windowId: 2, activeTab: 21, tabs: [21] },
      ],
      1,
    );
    expect(windows).toEqual({ shown: { 1: 11, 2: 21 }, focused: 1 });
  });

  it('keeps what a window showed before one of the extension’s pages became its active tab', () => {
    const windows = reconcile(
      two,
      [
        { windowId: 1, activeTab: null, tabs: [11, 13] },
        { windowId: 2, activeTab: null, tabs: [22] },
      ],
      null,
    );
    // Tab 21 is not in window 2 any more.
    expect(windows).toEqual({ shown: { 1: 11 }, focused: 2 });
  });

  it('forgets closed windows, also as the focused one', () => {
    expect(reconcile(two, [{ windowId: 1, activeTab: 11, tabs: [11] }], 7)).toEqual({
      shown: { 1: 11 },
      focused: null,
    });
  });

  it('reads session storage defensively', () => {
    expect(parseWindows(JSON.parse(JSON.stringify(two)))).toEqual(two);
    expect(parseWindows(undefined)).toEqual(NO_WINDOWS);
    expect(parseWindows({ shown: { x: 1, 2: 'a', 3: 31 }, focused: 'no' })).toEqual({
      shown: { 3: 31 },
      focused: null,
    });
  });
});
