// Notices single-page navigations. A content script lives in its own JavaScript world, so
// wrapping `history.pushState` here would never see the page's own calls; the Navigation API's
// `currententrychange` does see them (and replaceState, back and forward), `popstate` and
// YouTube's `yt-navigate-finish` are DOM events every world receives, and polling the URL is
// the fallback for whatever they miss.

import { NavigationDetector } from './navigation';

const POLL_MS = 1_000;

interface NavigationLike extends EventTarget {
  currentEntry: unknown;
}

/** Calls `onNavigate` once per new page; returns the function that stops watching. */
export function watchNavigation(onNavigate: () => void): () => void {
  const detector = new NavigationDetector(location.href);
  const controller = new AbortController();
  const { signal } = controller;
  const check = () => {
    try {
      if (detector.changed(location.href)) onNavigate();
    } catch (error) {
      console.error('[lossy] handling a navigation failed', error);
    }
  };
  const navigation = (globalThis as { navigation?: NavigationLike }).navigation;
  navigation?.addEventListener('currententrychange', check, { signal });
  window.addEventListener('popstate', check, { signal });
  window.addEventListener('hashchange', check, { signal });
  document.addEventListener('yt-navigate-finish', check, { signal });
  const poll = setInterval(check, POLL_MS);
  signal.addEventListener('abort', () => clearInterval(poll));
  return () => controller.abort();
}
