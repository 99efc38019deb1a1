import { CATEGORY_COLORS } from '@lossy/common/notes';

import type { Marker } from '@/shared/messages';

import { HIT_SIZE } from './marker-layout';
import { createMarkerOverlay } from './marker-overlay';

const markers: Marker[] = [
  { noteId: 'n1', seconds: 15, category: 'AUDIO', text: 'Hum under the voice' },
  { noteId: 'n2', seconds: 45, category: 'PACING', text: 'Cut this pause' },
  { noteId: 'late', seconds: 90, category: 'COLOR', text: 'Beyond the end' },
];
const rect = new DOMRect(100, 50, 600, 338);

afterEach(() => {
  document.documentElement.querySelectorAll('lossy-markers').forEach((e) => e.remove());
});

function drawn(list: readonly Marker[] = markers, at = rect) {
  const onClick = vi.fn();
  const overlay = createMarkerOverlay(onClick);
  overlay.attachTo(document.documentElement);
  overlay.render(list, 60, at, { width: 1024 });
  return { overlay, onClick };
}

const buttons = (root: ShadowRoot) => [...root.querySelectorAll('button')];

test('one labelled button per note within the duration, coloured by category', () => {
  const { overlay } = drawn();
  expect(buttons(overlay.root).map((b) => b.getAttribute('aria-label'))).toEqual([
    'Note at 0:15 — Audio: Hum under the voice',
    'Note at 0:45 — Pacing: Cut this pause',
  ]);
  const [audio, pacing] = buttons(overlay.root);
  expect(audio?.style.getPropertyValue('--color')).toBe(CATEGORY_COLORS.AUDIO);
  expect(pacing?.style.getPropertyValue('--color')).toBe(CATEGORY_COLORS.PACING);
  expect(buttons(overlay.root).every((b) => b.type === 'button')).toBe(true);
  // The card beside each marker shows the note's text.
  expect(overlay.root.textContent).toContain('Hum under the voice');
  expect(overlay.root.textContent).toContain('0:45 · Pacing');
});

test('the host sits on <html>, fixed over the bottom of the video, out of the page’s reach', () => {
  const { overlay } = drawn();
  expect(overlay.host.parentElement).toBe(document.documentElement);
  expect(overlay.host.shadowRoot).toBeNull();
  const style = overlay.host.style;
  expect(style.getPropertyValue('position')).toBe('fixed');
  expect(style.getPropertyValue('pointer-events')).toBe('none');
  expect(style.getPropertyValue('left')).toBe('100px');
  expect(style.getPropertyValue('width')).toBe('600px');
  expect(parseFloat(style.getPropertyValue('height'))).toBe(HIT_SIZE);
  expect(parseFloat(style.getPropertyValue('top'))).toBe(rect.bottom - HIT_SIZE);
});

test('clicking a marker hands its note to the caller; the page does not see the click', () => {
  const pageClick = vi.fn();
  document.addEventListener('click', pageClick);
  const { overlay, onClick } = drawn();
  buttons(overlay.root)[1]?.click();
  document.removeEventListener('click', pageClick);
  expect(onClick).toHaveBeenCalledWith(markers[1]);
  expect(pageClick).not.toHaveBeenCalled();
});

test('notes at the same moment are one group with one button each, every one reachable', () => {
  const same: Marker[] = [
    { noteId: 'a', seconds: 30, category: 'AUDIO', text: 'First' },
    { noteId: 'b', seconds: 30.1, category: 'COLOR', text: 'Second' },
    { noteId: 'c', seconds: 30.2, category: 'EDITING', text: 'Third' },
  ];
  const { overlay, onClick } = drawn(same);
  const groups = overlay.root.querySelectorAll('.group');
  expect(groups).toHaveLength(1);
  expect(groups[0]?.getAttribute('aria-label')).toBe('3 notes near 0:30');
  expect(buttons(overlay.root).map((b) => b.dataset.noteId)).toEqual(['a', 'b', 'c']);
  expect(overlay.root.querySelector('.count')?.textContent).toBe('3');
  // The card lists all three; its first row pictures the tick (not a second button for it).
  const rows = [...overlay.root.querySelectorAll('.row')];
  expect(rows.map((r) => r.textContent)).toEqual([
    expect.stringContaining('First'),
    expect.stringContaining('Second'),
    expect.stringContaining('Third'),
  ]);
  expect(rows[0]?.getAttribute('aria-hidden')).toBe('true');
  (rows[2] as HTMLElement).click();
  expect(onClick).toHaveBeenLastCalledWith(same[2]);
  (rows[0] as HTMLElement).click();
  expect(onClick).toHaveBeenLastCalledWith(same[0]);
});

test('a focused marker keeps its focus when the overlay is drawn again', () => {
  const { overlay } = drawn();
  const pacing = buttons(overlay.root)[1];
  pacing?.focus();
  expect(overlay.root.activeElement).toBe(pacing);
  // The same markers at the same size (the video plays, the page scrolls): nothing rebuilt.
  overlay.render(markers, 60, new DOMRect(100, 20, 600, 338), { width: 1024 });
  expect(buttons(overlay.root)[1]).toBe(pacing);
  // A new note arrives: rebuilt, and the focus follows the note.
  overlay.render(
    [...markers, { noteId: 'n3', seconds: 5, category: 'VISUAL', text: 'Tilted' }],
    60,
    rect,
    { width: 1024 },
  );
  const again = buttons(overlay.root).find((b) => b.dataset.noteId === 'n2');
  expect(again).not.toBe(pacing);
  expect(overlay.root.activeElement).toBe(again);
});

test('no duration, or a video too small for a marker: nothing drawn, the host hidden', () => {
  const overlay = createMarkerOverlay(vi.fn());
  overlay.attachTo(document.documentElement);
  overlay.render(markers, null, rect);
  expect(buttons(overlay.root)).toHaveLength(0);
  expect(overlay.host.style.getPropertyValue('display')).toBe('none');
  overlay.render(markers, 60, new DOMRect(0, 0, 600, HIT_SIZE - 1));
  expect(overlay.host.style.getPropertyValue('display')).toBe('none');
});
