// The markers' overlay: one host element on <html> (so no container of the page with
// overflow:hidden clips it), fixed over the bottom strip of the video, with a closed shadow
// root holding its styles and buttons (the page's CSS does not reach in, and the page's
// scripts cannot read the reviewer's notes out of it).
//
// Only the markers' hit areas (and a group's open card) take the pointer: everything else
// stays the page's, so the player's own controls keep working around them. No keyboard
// listener is added: a focused marker is a plain button.

import { formatMediaTime as formatTime } from '@lossy/common/media-time';
import { CATEGORY_COLORS, categoryLabel, type NoteCategory } from '@lossy/common/notes';

import type { Marker } from '@/shared/messages';

import { groupMarkers, HIT_SIZE, visiblePart, type MarkerGroup } from './marker-layout';
import { attachShadow } from './native';

const FALLBACK_COLOR = '#6b7280';

export const OVERLAY_TAG = 'lossy-markers';

/** A card never gets shorter than this, even over a small video (it may then rise above it). */
const CARD_MIN_HEIGHT = 96;

const STYLE = `
:host { all: initial; }
.strip { position: absolute; inset: 0; pointer-events: none; }
.group {
  position: absolute;
  bottom: 0;
  width: ${HIT_SIZE}px;
  height: ${HIT_SIZE}px;
  pointer-events: none;
}
.marker {
  all: initial;
  position: absolute;
  inset: 0;
  box-sizing: border-box;
  border-radius: 4px;
  pointer-events: auto;
  cursor: pointer;
}
.tick {
  position: absolute;
  left: 50%;
  bottom: 2px;
  width: 6px;
  height: 17px;
  transform: translateX(-50%);
  border-radius: 2px;
  border: 1px solid #fff;
  background: var(--color);
  /* A white edge and a dark halo: visible on any frame of any video. */
  box-shadow: 0 0 0 1px rgba(0, 0, 0, 0.6), 0 1px 3px rgba(0, 0, 0, 0.5);
  transition: width 80ms ease-out, height 80ms ease-out;
}
.group:hover .tick, .group:focus-within .tick { width: 10px; height: 21px; }
.count {
  position: absolute;
  left: 15px;
  top: -4px;
  min-width: 9px;
  padding: 0 2px;
  border: 1px solid #fff;
  border-radius: 7px;
  background: #111;
  color: #fff;
  font: 700 10px/12px system-ui, sans-serif;
  text-align: center;
}
.marker:focus-visible {
  outline: 2px solid #fff;
  box-shadow: 0 0 0 4px #111;
}
.card {
  position: absolute;
  bottom: ${HIT_SIZE}px;
  box-sizing: border-box;
  width: max-content;
  /* Transparent bottom padding bridges the gap to the tick: the pointer can travel up into a
     group's card without leaving the group. */
  padding-bottom: 6px;
  opacity: 0;
  visibility: hidden;
  pointer-events: none;
}
.card-body {
  box-sizing: border-box;
  overflow-y: auto;
  padding: 4px;
  border-radius: 6px;
  background: rgba(20, 20, 20, 0.94);
  color: #fff;
  font: 12px/1.35 system-ui, sans-serif;
  box-shadow: 0 2px 8px rgba(0, 0, 0, 0.5);
}
.card[data-align='centre'] { transform: translateX(-50%); }
.group:hover .card, .group:focus-within .card { opacity: 1; visibility: visible; }
/* A single note's card only shows its text: it never takes the pointer from the video. */
.group[data-count='many']:hover .card, .group[data-count='many']:focus-within .card {
  pointer-events: auto;
}
/* Collapsed, a group's rows still take the focus (visibility would drop them from the tab
   order), and focusing one opens the card. */
.group[data-count='many'] .card { visibility: visible; }
.row {
  all: initial;
  box-sizing: border-box;
  display: block;
  width: 100%;
  padding: 4px 6px;
  border-radius: 4px;
  color: #fff;
  font: 12px/1.35 system-ui, sans-serif;
  text-align: left;
  white-space: pre-wrap;
  overflow-wrap: anywhere;
}
.group[data-count='many'] .row { cursor: pointer; }
.group[data-count='many'] .row + .row { border-top: 1px solid rgba(255, 255, 255, 0.12); }
.group[data-count='many'] .row:hover { background: rgba(255, 255, 255, 0.14); }
.row:focus-visible { outline: 2px solid #fff; outline-offset: -2px; }
.when { display: block; font-weight: 600; color: #e9ecef; }
.dot {
  display: inline-block;
  width: 8px;
  height: 8px;
  margin-right: 5px;
  border-radius: 50%;
  border: 1px solid #fff;
  background: var(--color);
  vertical-align: 0;
}
.text {
  display: -webkit-box;
  -webkit-box-orient: vertical;
  -webkit-line-clamp: var(--lines);
  overflow: hidden;
}
`;

// A marker's category comes over a message as a string: one this build does not know (a newer
// server) is drawn grey and named as it comes.
function isCategory(category: string): category is NoteCategory {
  return Object.hasOwn(CATEGORY_COLORS, category);
}

function categoryName(category: string): string {
  return isCategory(category) ? categoryLabel(category) : category;
}

function colorOf(marker: Marker): string {
  return isCategory(marker.category) ? CATEGORY_COLORS[marker.category] : FALLBACK_COLOR;
}

/** A marker's accessible name: when, what kind, and the note's whole text. */
export function markerLabel(marker: Marker): string {
  return `Note at ${formatTime(marker.seconds)} — ${categoryName(marker.category)}: ${marker.text}`;
}

export interface Viewport {
  width: number;
}

export interface MarkerOverlay {
  /** The shadow root, for tests: the page cannot reach it. */
  readonly root: ShadowRoot;
  readonly host: HTMLElement;
  /** Draws the markers over `rect`, the video's viewport rectangle. */
  render(
    markers: readonly Marker[],
    durationSeconds: number | null,
    rect: DOMRect,
    viewport?: Viewport,
  ): void;
  /** Moves the host into `parent` (the fullscreen element, whose top layer hides the rest). */
  attachTo(parent: Element): void;
  remove(): void;
}

/** One line of a card: the note's time and category, then its text. */
function fillRow(row: HTMLElement, marker: Marker, lines: number): void {
  row.style.setProperty('--color', colorOf(marker));
  const when = document.createElement('span');
  when.className = 'when';
  const dot = document.createElement('span');
  dot.className = 'dot';
  when.append(dot, `${formatTime(marker.seconds)} · ${categoryName(marker.category)}`);
  const text = document.createElement('span');
  text.className = 'text';
  text.style.setProperty('--lines', String(lines));
  text.textContent = marker.text;
  row.append(when, text);
}

function drawGroup(group: MarkerGroup<Marker>, first: number, cardHeight: number): HTMLElement {
  const [head, ...rest] = group.markers;
  const element = document.createElement('div');
  element.className = 'group';
  element.style.left = `${group.x}px`;
  element.dataset.count = rest.length > 0 ? 'many' : 'one';
  if (!head) return element;
  if (rest.length > 0) {
    element.setAttribute('role', 'group');
    element.setAttribute(
      'aria-label',
      `${group.markers.length} notes near ${formatTime(head.seconds)}`,
    );
  }

  const tick = document.createElement('button');
  tick.type = 'button';
  tick.className = 'marker';
  tick.dataset.index = String(first);
  tick.dataset.noteId = head.noteId;
  tick.setAttribute('aria-label', markerLabel(head));
  tick.style.setProperty('--color', colorOf(head));
  const bar = document.createElement('span');
  bar.className = 'tick';
  tick.append(bar);
  if (rest.length > 0) {
    const count = document.createElement('span');
    count.className = 'count';
    count.setAttribute('aria-hidden', 'true');
    count.textContent = String(group.markers.length);
    tick.append(count);
  }

  const card = document.createElement('div');
  card.className = 'card';
  card.dataset.align = group.card.align;
  card.style.maxWidth = `${group.card.maxWidth}px`;
  // The card is positioned in the group's box, which starts at the hit area's left edge.
  if (group.card.align === 'end') card.style.right = `${group.x + HIT_SIZE - group.card.at}px`;
  else card.style.left = `${group.card.at - group.x}px`;
  const body = document.createElement('div');
  body.className = 'card-body';
  body.style.maxHeight = `${cardHeight}px`;
  card.append(body);

  // The first note's row repeats the tick, which is its button: the row is only a picture of
  // it (hidden from assistive technology; a click on it still seeks). Each other note's row
  // is that note's one button.
  const headRow = document.createElement('div');
  headRow.className = 'row';
  headRow.dataset.index = String(first);
  headRow.setAttribute('aria-hidden', 'true');
  fillRow(headRow, head, rest.length > 0 ? 2 : 8);
  body.append(headRow);
  rest.forEach((marker, offset) => {
    const row = document.createElement('button');
    row.type = 'button';
    row.className = 'row';
    row.dataset.index = String(first + 1 + offset);
    row.dataset.noteId = marker.noteId;
    row.setAttribute('aria-label', markerLabel(marker));
    fillRow(row, marker, 2);
    body.append(row);
  });

  element.append(tick, card);
  return element;
}

export function createMarkerOverlay(onClick: (marker: Marker) => void): MarkerOverlay {
  const host = document.createElement(OVERLAY_TAG);
  const root = attachShadow(host, { mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = STYLE;
  const strip = document.createElement('div');
  strip.className = 'strip';
  strip.setAttribute('role', 'group');
  strip.setAttribute('aria-label', 'Lossy notes');
  root.append(style, strip);
  // Inline and important: the page's stylesheets cannot move or hide the host.
  const set = (name: string, value: string) => host.style.setProperty(name, value, 'important');
  set('position', 'fixed');
  set('z-index', '2147483647');
  set('pointer-events', 'none');
  set('margin', '0');
  set('padding', '0');
  set('border', '0');
  set('display', 'block');
  set('height', `${HIT_SIZE}px`);

  let shown: Marker[] = [];
  let drawn = '';
  strip.addEventListener('click', (event) => {
    // The click is ours: the page's own handlers do not see it as a click on its player.
    event.stopPropagation();
    const target = (event.target as Element | null)?.closest<HTMLElement>('[data-index]');
    const marker = target ? shown[Number(target.dataset.index)] : undefined;
    if (marker) onClick(marker);
  });

  return {
    root,
    host,
    render(markers, durationSeconds, rect, viewport = { width: window.innerWidth }) {
      const groups = groupMarkers(
        markers,
        durationSeconds,
        rect.width,
        visiblePart(rect, viewport.width),
      );
      const visible = groups.length > 0 && rect.width > 0 && rect.height >= HIT_SIZE;
      set('display', visible ? 'block' : 'none');
      set('left', `${rect.left}px`);
      set('top', `${rect.bottom - HIT_SIZE}px`);
      set('width', `${rect.width}px`);

      const cardHeight = Math.max(CARD_MIN_HEIGHT, rect.height - HIT_SIZE - 8);
      // Redrawn only when something one can see changed: scrolling moves the host alone, and
      // a marker keeps its focus and hover while the video plays.
      const key = JSON.stringify([groups, cardHeight]);
      if (key === drawn) return;
      drawn = key;
      const focused = (root.activeElement as HTMLElement | null)?.dataset.noteId;
      shown = groups.flatMap((group) => group.markers);
      let first = 0;
      strip.replaceChildren(
        ...groups.map((group) => {
          const element = drawGroup(group, first, cardHeight);
          first += group.markers.length;
          return element;
        }),
      );
      if (focused) {
        const again = Array.from(strip.querySelectorAll<HTMLElement>('[data-note-id]')).find(
          (element) => element.dataset.noteId === focused,
        );
        again?.focus({ preventScroll: true });
      }
    },
    attachTo(parent) {
      if (host.parentNode !== parent) parent.append(host);
    },
    remove() {
      host.remove();
    },
  };
}
