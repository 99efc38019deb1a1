// The one interface every player kind offers the page: where it is, and go there.

export interface PlayerHandle {
  /** Moves the playhead to `seconds` (or opens the video there on its platform). */
  seek: (seconds: number) => void;
  /** Seconds into the video; null when the player cannot tell (a platform's own site). */
  currentTime: () => number | null;
}
