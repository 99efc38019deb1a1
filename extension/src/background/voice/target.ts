// Which tab voice listens to. Voice is on or off for the browser; while on, it listens to the
// tab that owns the video context (PROTOCOL.md section 7), and follows it: to another tab the
// reviewer moves to (the tracker claims the context for the focused window's tab, which ends
// the old session on the server after its utterance in flight), and to another video in the
// same tab (a single-page navigation). It never takes the context back from a tab of another
// window or browser by itself: that is the reviewer's "Take over" (or turning voice on). Pure.

import type { ExtensionState } from '@/shared/messages';

/** A tab with a video the server identified. */
export interface TabTarget {
  tabId: number;
  videoId: string;
  pageInstanceId: string;
  durationSeconds: number | null;
  /** The video context as this tab sees it. */
  context: ExtensionState['context'];
}

const mayListen = (tab: TabTarget) => tab.context !== 'taken';

/**
 * The tab to listen to now. `focused`: the focused window's tab (the one the tracker claims
 * for); `current`: the tab voice listens to now, as it is now (null when it closed or shows no
 * video any more).
 */
export function chooseTarget(
  focused: TabTarget | null,
  current: TabTarget | null,
): TabTarget | null {
  if (focused && mayListen(focused) && focused.tabId !== current?.tabId) return focused;
  if (current && mayListen(current)) return current;
  return null;
}

/** Whether listening to `next` needs a new session (another tab, page or video). */
export function sameTarget(a: TabTarget | null, b: TabTarget | null): boolean {
  return (
    a === b ||
    (a !== null &&
      b !== null &&
      a.tabId === b.tabId &&
      a.videoId === b.videoId &&
      a.pageInstanceId === b.pageInstanceId)
  );
}
