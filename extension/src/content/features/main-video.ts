// Finds the page's main <video> and tells the worker about it (`page/video`), again whenever
// it is swapped, added, removed or changes its duration, and on navigation. In a page with
// frames, one frame speaks for the tab (frames.ts): the top frame, or the frame whose video
// it chose; the others keep no main video, so they draw nothing and answer nothing.

import type { PageVideo } from '@/shared/messages';

import { areaOf, FrameChooser, FrameOffer, isTopFrame, randomKey } from '../frames';
import { durationSeconds } from '../main-video';
import { mainVideo } from '../main-video-store';
import { queryAll, rectOf } from '../native';
import { collectVideos, findMainVideo } from '../video-finder';
import { extensionGone, sendToWorker } from '../worker';

/** Made once per page load (per frame): the server's `pageInstanceId`. */
const pageInstanceId = randomKey();

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

/** What the worker last heard came from another frame (`key`), or from none at all. */
function heardElsewhere(key: string | null): void {
  lastReported = key === null ? JSON.stringify(null) : `frame:${key}`;
  clearTimeout(retry);
}

// The frames' side of the choice, made once per frame; a restarted feature rescans through
// `rescan`.
let rescan: () => void = () => undefined;
const top = isTopFrame();
const chooser = top ? new FrameChooser(() => rescan()) : null;
const offer = top ? null : new FrameOffer(() => rescan());

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
      const area = video ? areaOf(rectOf(video)) : 0;
      if (chooser) {
        const choice = chooser.choose(area);
        if (choice === 'own' || choice === null) {
          mainVideo.set(video);
          report(describeVideo(video), force);
        } else {
          // A frame's video won: that frame reports it and acts on it.
          mainVideo.set(null);
          heardElsewhere(choice);
        }
      } else if (offer) {
        offer.offer(area);
        if (offer.chosen && video) {
          mainVideo.set(video);
          report(describeVideo(video), force);
        } else {
          // Not this frame's turn: the top frame (or the chosen frame) speaks for the tab.
          mainVideo.set(null);
          heardElsewhere(null);
        }
      }
    };
    function schedule() {
      scheduled ??= setTimeout(scan, SCAN_THROTTLE_MS);
    }
    rescan = () => {
      if (!signal.aborted) scan();
    };
    chooser?.listen(signal);
    offer?.listen(signal);

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
