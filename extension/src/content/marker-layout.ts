// Where each note's marker goes on the video's progress strip: pure, in CSS pixels from the
// strip's left edge.

/** A marker's hit area (the visible bar inside it is narrower). */
export const MARKER_WIDTH = 8;
/** Space kept between two markers of one lane, so each stays clickable. */
export const MARKER_GAP = 2;
/** Markers that would overlap go up into further lanes, at most this many. */
export const MAX_LANES = 3;

export interface PlacedMarker<M> {
  marker: M;
  /** Left edge of the marker's hit area. */
  x: number;
  /** 0 is the bottom lane. */
  lane: number;
}

/**
 * Places markers by time over a strip `width` pixels wide for a video of `durationSeconds`.
 *
 * - No finite positive duration (unknown, live): no markers, there is no time scale.
 * - A note after the end is dropped (it belongs to another cut of the video; pinning it to
 *   the end would point at the wrong moment); a negative time is clamped to 0.
 * - A marker's centre sits at its time, clamped so the whole hit area stays on the strip.
 * - Markers closer than MARKER_WIDTH + MARKER_GAP go up a lane; past MAX_LANES they are pushed
 *   right, next to the previous one, so they do not cover each other (on a strip too narrow
 *   for that many, the last ones may still overlap at the right edge).
 *
 * The result is ordered by position, which is also the keyboard order.
 */
export function placeMarkers<M extends { seconds: number }>(
  markers: readonly M[],
  durationSeconds: number | null,
  width: number,
): PlacedMarker<M>[] {
  if (
    durationSeconds === null ||
    !Number.isFinite(durationSeconds) ||
    durationSeconds <= 0 ||
    !Number.isFinite(width) ||
    width < MARKER_WIDTH
  ) {
    return [];
  }
  const maxLeft = width - MARKER_WIDTH;
  const ideal = markers
    .filter((m) => Number.isFinite(m.seconds) && m.seconds <= durationSeconds)
    .map((marker, order) => {
      const centre = (Math.max(0, marker.seconds) / durationSeconds) * width;
      return { marker, order, left: clamp(centre - MARKER_WIDTH / 2, 0, maxLeft) };
    })
    .sort((a, b) => a.left - b.left || a.order - b.order);

  /** Where the next marker of each lane may start. */
  const laneFree: number[] = [];
  return ideal.map(({ marker, left }) => {
    let lane = laneFree.findIndex((free) => free <= left);
    if (lane < 0 && laneFree.length < MAX_LANES) lane = laneFree.length;
    let x = left;
    if (lane < 0) {
      // Every lane is taken here: the lane that frees first, pushed right to where it frees.
      lane = laneFree.indexOf(Math.min(...laneFree));
      x = Math.min(laneFree[lane] ?? left, maxLeft);
    }
    laneFree[lane] = x + MARKER_WIDTH + MARKER_GAP;
    return { marker, x, lane };
  });
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/** `75.9` → `1:15`, `3725` → `1:02:05`: the time a marker's label reads. */
export function formatTime(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
