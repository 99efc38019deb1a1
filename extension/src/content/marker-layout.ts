// Where the notes' markers go on the video's progress strip, and where their cards open: pure,
// in CSS pixels from the strip's left edge.

/**
 * A marker's hit area is a square this wide and high: WCAG 2.2's minimum target size (2.5.8),
 * which a pointer can hit on a moving video. The visible tick inside it is narrower.
 */
export const HIT_SIZE = 24;
/** A card (a marker's note, or a group's notes) is at most this wide. */
export const CARD_MAX_WIDTH = 280;
/** Space kept between a card and the edges of the part of the strip one can see. */
export const CARD_MARGIN = 4;

/** What is visible of the strip, from its left edge: the viewport can cut a wide video. */
export interface Visible {
  from: number;
  to: number;
}

/**
 * Where a card opens above its marker, in the strip's coordinates:
 * - `centre`: centred on `at`;
 * - `start`: its left edge at `at` (near the strip's left end);
 * - `end`: its right edge at `at` (near the right end).
 * Its width is at most `maxWidth`, so it never leaves the visible part of the strip.
 */
export interface CardPlacement {
  align: 'centre' | 'start' | 'end';
  at: number;
  maxWidth: number;
}

export interface MarkerGroup<M> {
  /** Time order; the first is the one the group's tick stands for. */
  markers: M[];
  /** Left edge of the group's hit area (its first marker's, centred on its time). */
  x: number;
  card: CardPlacement;
}

/**
 * Groups markers by time over a strip `width` pixels wide for a video of `durationSeconds`.
 *
 * - No finite positive duration (unknown, live): no markers, there is no time scale.
 * - A note after the end is dropped (it belongs to another cut of the video; pinning it to
 *   the end would point at the wrong moment); a negative time is clamped to 0.
 * - A marker's hit area is centred on its time, clamped so it stays whole on the strip.
 * - Markers whose hit areas would overlap the group's first one join its group: one tick, and
 *   a card that lists each of them (so notes at the same pixel all stay reachable). Groups'
 *   hit areas never overlap.
 *
 * Groups and their markers come out in time order, which is also the keyboard order.
 */
export function groupMarkers<M extends { seconds: number }>(
  markers: readonly M[],
  durationSeconds: number | null,
  width: number,
  visible: Visible = { from: 0, to: width },
): MarkerGroup<M>[] {
  if (
    durationSeconds === null ||
    !Number.isFinite(durationSeconds) ||
    durationSeconds <= 0 ||
    !Number.isFinite(width) ||
    width < HIT_SIZE
  ) {
    return [];
  }
  const maxLeft = width - HIT_SIZE;
  const ideal = markers
    .filter((m) => Number.isFinite(m.seconds) && m.seconds <= durationSeconds)
    .map((marker, order) => {
      const centre = (Math.max(0, marker.seconds) / durationSeconds) * width;
      return { marker, order, left: clamp(centre - HIT_SIZE / 2, 0, maxLeft) };
    })
    .sort((a, b) => a.left - b.left || a.marker.seconds - b.marker.seconds || a.order - b.order);

  const groups: MarkerGroup<M>[] = [];
  let current: MarkerGroup<M> | undefined;
  for (const { marker, left } of ideal) {
    if (current && left < current.x + HIT_SIZE) {
      current.markers.push(marker);
      continue;
    }
    current = { markers: [marker], x: left, card: placeCard(left + HIT_SIZE / 2, visible) };
    groups.push(current);
  }
  return groups;
}

/** Where a card for a marker centred at `centre` opens, kept inside `visible`. */
export function placeCard(centre: number, visible: Visible): CardPlacement {
  const from = visible.from + CARD_MARGIN;
  const to = Math.max(from, visible.to - CARD_MARGIN);
  const maxWidth = Math.max(0, Math.min(CARD_MAX_WIDTH, to - from));
  // Any card up to maxWidth wide fits centred here: the common case, mid-strip.
  if (centre - maxWidth / 2 >= from && centre + maxWidth / 2 <= to) {
    return { align: 'centre', at: centre, maxWidth };
  }
  // Near an edge: anchored on the side with room, never further than half a card from the
  // marker, and never past the visible edge.
  if (centre - from < to - centre) {
    return { align: 'start', at: clamp(centre - maxWidth / 2, from, to - maxWidth), maxWidth };
  }
  return { align: 'end', at: clamp(centre + maxWidth / 2, from + maxWidth, to), maxWidth };
}

/** The part of a video `rect` wide the viewport shows, from the video's left edge. */
export function visiblePart(rect: { left: number; width: number }, viewportWidth: number): Visible {
  const from = clamp(-rect.left, 0, rect.width);
  const to = clamp(viewportWidth - rect.left, from, rect.width);
  return { from, to };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
