// The markers' overlay: one host element on <html> (so no container of the page with
// overflow:hidden clips it), fixed over the bottom strip of the video, with a closed shadow
// root holding its styles and buttons (the page's CSS does not reach in, and the page's
// scripts cannot read the reviewer's notes out of it).

import type { Marker } from '@/shared/messages';

import { formatTime, MARKER_GAP, MARKER_WIDTH, placeMarkers } from './marker-layout';
import { attachShadow } from './native';

export const CATEGORY_COLORS: Record<string, string> = {
  PACING: '#7048e8',
  EDITING: '#1971c2',
  AUDIO: '#0b7285',
  COLOR: '#c2255c',
  VISUAL: '#e8590c',
  GRAPHICS: '#5c940d',
  CONTENT: '#862e9c',
  GENERAL: '#495057',
};

const LANE_HEIGHT = 14;
export const OVERLAY_TAG = 'lossy-markers';

const STYLE = `
:host { all: initial; }
.strip { position: absolute; inset: 0; pointer-events: none; }
.marker {
  all: initial;
  position: absolute;
  box-sizing: border-box;
  width: ${MARKER_WIDTH}px;
  height: ${LANE_HEIGHT - MARKER_GAP}px;
  pointer-events: auto;
  cursor: pointer;
}
.marker::before {
  content: '';
  position: absolute;
  left: 2px; right: 2px; top: 0; bottom: 0;
  border-radius: 2px;
  background: var(--color);
  box-shadow: 0 0 0 1px rgba(255, 255, 255, 0.85);
}
.marker:hover::before, .marker:focus-visible::before { left: 0; right: 0; }
.marker:focus-visible { outline: 2px solid #fff; outline-offset: 1px; }
.tip {
  display: none;
  position: absolute;
  bottom: calc(100% + 6px);
  left: 50%;
  transform: translateX(-50%);
  width: max-content;
  max-width: 280px;
  padding: 4px 8px;
  border-radius: 4px;
  background: rgba(20, 20, 20, 0.92);
  color: #fff;
  font: 12px/1.35 system-ui, sans-serif;
  white-space: pre-wrap;
  overflow-wrap: anywhere;
  text-align: left;
}
.marker[data-align='start'] .tip { left: 0; transform: none; }
.marker[data-align='end'] .tip { left: auto; right: 0; transform: none; }
.marker:hover .tip, .marker:focus-visible .tip { display: block; }
.tip b { color: var(--color-light, #ddd); font-weight: 600; }
`;

function categoryName(category: string): string {
  return category.charAt(0) + category.slice(1).toLowerCase();
}

export function markerLabel(marker: Marker): string {
  return `Note at ${formatTime(marker.seconds)}, ${categoryName(marker.category)}: ${marker.text}`;
}

export interface MarkerOverlay {
  /** The shadow root, for tests: the page cannot reach it. */
  readonly root: ShadowRoot;
  readonly host: HTMLElement;
  /** Draws the markers over `rect`, the video's viewport rectangle. */
  render(markers: readonly Marker[], durationSeconds: number | null, rect: DOMRect): void;
  /** Moves the host into `parent` (the fullscreen element, whose top layer hides the rest). */
  attachTo(parent: Element): void;
  remove(): void;
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

  let shown: Marker[] = [];
  strip.addEventListener('click', (event) => {
    // The click is ours: the page's own handlers do not see it as a click on its player.
    event.stopPropagation();
    const button = (event.target as Element | null)?.closest('button');
    const marker = button ? shown[Number(button.dataset.index)] : undefined;
    if (marker) onClick(marker);
  });

  return {
    root,
    host,
    render(markers, durationSeconds, rect) {
      const placed = placeMarkers(markers, durationSeconds, rect.width);
      const lanes = placed.reduce((most, p) => Math.max(most, p.lane + 1), 1);
      const height = lanes * LANE_HEIGHT;
      const visible = placed.length > 0 && rect.width > 0 && rect.height >= height;
      set('display', visible ? 'block' : 'none');
      set('left', `${rect.left}px`);
      set('top', `${rect.bottom - height}px`);
      set('width', `${rect.width}px`);
      set('height', `${height}px`);
      shown = placed.map((p) => p.marker);
      strip.replaceChildren(
        ...placed.map((p, index) => {
          const button = document.createElement('button');
          button.type = 'button';
          button.className = 'marker';
          button.dataset.index = String(index);
          button.dataset.noteId = p.marker.noteId;
          button.setAttribute('aria-label', markerLabel(p.marker));
          button.style.left = `${p.x}px`;
          button.style.bottom = `${p.lane * LANE_HEIGHT}px`;
          button.style.setProperty(
            '--color',
            CATEGORY_COLORS[p.marker.category] ?? CATEGORY_COLORS.GENERAL ?? '#495057',
          );
          const third = rect.width / 3;
          button.dataset.align = p.x < third ? 'start' : p.x > 2 * third ? 'end' : 'middle';
          const tip = document.createElement('span');
          tip.className = 'tip';
          tip.setAttribute('aria-hidden', 'true');
          const when = document.createElement('b');
          when.textContent = `${formatTime(p.marker.seconds)} · ${categoryName(p.marker.category)}`;
          tip.append(when, document.createElement('br'), p.marker.text);
          button.append(tip);
          return button;
        }),
      );
    },
    attachTo(parent) {
      if (host.parentNode !== parent) parent.append(host);
    },
    remove() {
      host.remove();
    },
  };
}
