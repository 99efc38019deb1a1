// Finding the <video> elements of the page, open shadow roots included, and measuring them
// for chooseMainVideo.

import { chooseMainVideo, type VideoCandidate } from './main-video';
import { openShadowRoot, queryAll, rectOf } from './native';

export interface PageVideos {
  videos: HTMLVideoElement[];
  /** Every open shadow root met, to observe their mutations too. */
  shadowRoots: ShadowRoot[];
}

/** All videos under `root` and under the open shadow roots inside it, recursively. */
export function collectVideos(root: Document | ShadowRoot): PageVideos {
  const found: PageVideos = { videos: [], shadowRoots: [] };
  const pending: (Document | ShadowRoot)[] = [root];
  for (let next = pending.pop(); next; next = pending.pop()) {
    for (const element of queryAll(next, 'video')) {
      if (element instanceof HTMLVideoElement) found.videos.push(element);
    }
    for (const element of queryAll(next, '*')) {
      const shadow = openShadowRoot(element);
      if (shadow) {
        found.shadowRoots.push(shadow);
        pending.push(shadow);
      }
    }
  }
  return found;
}

function rendered(video: HTMLVideoElement): boolean {
  try {
    // Chrome 105+: display:none anywhere up the tree, visibility:hidden, opacity 0.
    return video.checkVisibility({ visibilityProperty: true, opacityProperty: true });
  } catch {
    return true;
  }
}

export function measure(video: HTMLVideoElement): VideoCandidate<HTMLVideoElement> {
  const rect = rectOf(video);
  let duration = NaN;
  let playing = false;
  try {
    duration = video.duration;
    playing = !video.paused && !video.ended;
  } catch {
    // A page that broke its media element's getters: treated as not a video.
  }
  return {
    video,
    width: rect.width,
    height: rect.height,
    visible: rect.width > 0 && rect.height > 0 && rendered(video),
    duration,
    playing,
  };
}

export function findMainVideo(videos: readonly HTMLVideoElement[]): HTMLVideoElement | null {
  return chooseMainVideo(videos.map(measure));
}
