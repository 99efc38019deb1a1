// Finds the page's main <video> and tells the worker about it (`page/video`), again whenever
// it is swapped, added, removed or changes its duration, and on navigation.

import type { PageVideo } from '@/shared/messages';

import { durationSeconds } from '../main-video';
import { mainVideo } from '../main-video-store';
import { queryAll } from '../native';
import { collectVideos, findMainVideo } from '../video-finder';
import { extensionGone, sendToWorker } from '../worker';

/** Made once per page load: the server's `pageInstanceId`. */
const pageInstanceId = crypto.randomUUID();

/** Scans at most this often while the page mutates (YouTube mutates all the time). */
const SCAN_THROTTLE_MS = 500;
/** Sizes and visibility change without mutations (CSS, layout): a slow scan catches them. */
const SLOW_SCAN_MS = 2_000;
const RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000];
const MEDIA_EVENTS = ['loadedmetadata', 'durationchange', 'play', 'playing', 'emptied'];

export function pageTitle(doc: Document): string | null {
  const title = doc.title.trim();
  if (title) return title;
  const og = queryAll(doc, 'meta[property="og:title"]')[0]?.getAttribute('content')?.trim();
  return og ?? null;
}

export function describeVideo(video: HTMLVideoElement | null): PageVideo | null {
  if (!video) return null;
  return {
    url: location.href,
    title: pageTitle(document),
    durationSeconds: durationSeconds(video.duration),
    pageInstanceId,
  };
}

// Outlives the features' restarts: a navigation must not repeat what the worker knows.
let lastReported = JSON.stringify(null);
let retry: ReturnType<typeof setTimeout> | undefined;

/** Sends the page's video when it differs from the last one sent (or `force`), with retries. */
function report(video: PageVideo | null, force = false): void {
  const key = JSON.stringify(video);
  if (key === lastReported && !force) return;
  lastReported = key;
  clearTimeout(retry);
  const attempt = (tries: number) => {
    void sendToWorker({ kind: 'page/video', video }).then((sent) => {
      // The worker restarting has no listener yet: try again, unless a newer report exists.
      const delay = RETRY_DELAYS_MS[tries];
      if (sent || extensionGone() || key !== lastReported || delay === undefined) return;
      retry = setTimeout(() => attempt(tries + 1), delay);
    });
  };
  attempt(0);
}

export const mainVideoFeature = {
  name: 'main-video',
  init(signal: AbortSignal): void {
    let scheduled: ReturnType<typeof setTimeout> | undefined;
    const observed = new WeakSet<Node>();
    const observer = new MutationObserver(() => schedule());
    const observe = (node: Node) => {
      if (observed.has(node)) return;
      observed.add(node);
      observer.observe(node, { childList: true, subtree: true });
    };

    const scan = (force = false) => {
      scheduled = undefined;
      if (signal.aborted) return;
      const { videos, shadowRoots } = collectVideos(document);
      // Mutations inside shadow roots do not reach the document's observer.
      shadowRoots.forEach(observe);
      const video = findMainVideo(videos);
      mainVideo.set(video);
      report(describeVideo(video), force);
    };
    function schedule() {
      scheduled ??= setTimeout(scan, SCAN_THROTTLE_MS);
    }

    observe(document);
    // Media events do not bubble, but a capturing listener on the document sees them.
    for (const type of MEDIA_EVENTS) {
      document.addEventListener(type, schedule, { capture: true, passive: true, signal });
    }
    // The worker may have restarted and forgotten this tab while it was in the background.
    document.addEventListener(
      'visibilitychange',
      () => {
        if (document.visibilityState === 'visible') scan(true);
      },
      { signal },
    );
    const slow = setInterval(schedule, SLOW_SCAN_MS);
    signal.addEventListener('abort', () => {
      observer.disconnect();
      clearTimeout(scheduled);
      clearInterval(slow);
    });
    scan();
  },
};
