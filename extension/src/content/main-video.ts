// Choosing the page's main video among its <video> elements: pure, over measured candidates.

export interface VideoCandidate<T> {
  video: T;
  /** The element's rendered size in CSS pixels. */
  width: number;
  height: number;
  /** Rendered: not display:none, visibility:hidden or transparent. Off-screen still counts. */
  visible: boolean;
  /** `HTMLMediaElement.duration`: NaN before metadata, Infinity for a live stream. */
  duration: number;
  playing: boolean;
}

/** Smaller than this, a video is a thumbnail preview or an invisible tracker, not the main one. */
export const MIN_WIDTH = 80;
export const MIN_HEIGHT = 45;

/** Whether the media has a duration at all (a live stream's Infinity counts). */
export function hasDuration(duration: number): boolean {
  return duration > 0;
}

/** What the server is told: seconds when finite, else null (live, unknown). */
export function durationSeconds(duration: number): number | null {
  return Number.isFinite(duration) && duration > 0 ? duration : null;
}

export function isEligible<T>(candidate: VideoCandidate<T>): boolean {
  return (
    candidate.visible &&
    candidate.width >= MIN_WIDTH &&
    candidate.height >= MIN_HEIGHT &&
    (hasDuration(candidate.duration) || candidate.playing)
  );
}

/**
 * The main video: the largest eligible one; on equal sizes the playing one, then the first
 * in document order. Null when none is eligible.
 */
export function chooseMainVideo<T>(candidates: readonly VideoCandidate<T>[]): T | null {
  let best: VideoCandidate<T> | null = null;
  for (const candidate of candidates) {
    if (!isEligible(candidate)) continue;
    if (!best) {
      best = candidate;
      continue;
    }
    const area = candidate.width * candidate.height;
    const bestArea = best.width * best.height;
    if (area > bestArea || (area === bestArea && candidate.playing && !best.playing)) {
      best = candidate;
    }
  }
  return best ? best.video : null;
}
