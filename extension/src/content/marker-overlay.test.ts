import type { Marker } from '@/shared/messages';

import { CATEGORY_COLORS, createMarkerOverlay } from './marker-overlay';

const markers: Marker[] = [
  { noteId: 'n1', seconds: 15, category: 'AUDIO', text: 'Hum under the voice' },
  { noteId: 'n2', seconds: 45, category: 'PACING', text: 'Cut this pause' },
  { noteId: 'late', seconds: 90, category: 'COLOR', text: 'Beyond the end' },
];
const rect = new DOMRect(100, 50, 600, 338);

afterEach(() => {
  document.documentElement.querySelectorAll('lossy-markers').forEach((e) => e.remove());
});

test('one labelled button per note within the duration, coloured by category', () => {
  const overlay = createMarkerOverlay(vi.fn());
  overlay.attachTo(document.documentElement);
  overlay.render(markers, 60, rect);

  const buttons = [...overlay.root.querySelectorAll('button')];
  expect(buttons.map((b) => b.getAttribute('aria-label'))).toEqual([
    'Note at 0:15, Audio: Hum under the voice',
    'Note at 0:45, Pacing: Cut this pause',
  ]);
  expect(buttons[0]?.style.getPropertyValue('--color')).toBe(CATEGORY_COLORS.AUDIO);
  expect(buttons[1]?.style.getPropertyValue('--color')).toBe(CATEGORY_COLORS.PACING);
  expect(buttons[0]?.textContent).toContain('Hum under the voice');
  expect(buttons.every((b) => b.type === 'button')).toBe(true);
});

test('the host sits on <html>, fixed over the bottom of the video, out of the page’s reach', () => {
  const overlay = createMarkerOverlay(vi.fn());
  overlay.attachTo(document.documentElement);
  overlay.render(markers, 60, rect);
  expect(overlay.host.parentElement).toBe(document.documentElement);
  expect(overlay.host.shadowRoot).toBeNull();
  const style = overlay.host.style;
  expect(style.getPropertyValue('position')).toBe('fixed');
  expect(style.getPropertyValue('left')).toBe('100px');
  expect(style.getPropertyValue('width')).toBe('600px');
  const height = parseFloat(style.getPropertyValue('height'));
  expect(parseFloat(style.getPropertyValue('top'))).toBe(rect.bottom - height);
});

test('clicking a marker hands its note to the caller; the page does not see the click', () => {
  const onClick = vi.fn();
  const pageClick = vi.fn();
  document.addEventListener('click', pageClick);
  const overlay = createMarkerOverlay(onClick);
  overlay.attachTo(document.documentElement);
  overlay.render(markers, 60, rect);
  overlay.root.querySelectorAll('button')[1]?.click();
  document.removeEventListener('click', pageClick);
  expect(onClick).toHaveBeenCalledWith(markers[1]);
  expect(pageClick).not.toHaveBeenCalled();
});

test('no duration: nothing drawn, the host hidden', () => {
  const overlay = createMarkerOverlay(vi.fn());
  overlay.attachTo(document.documentElement);
  overlay.render(markers, null, rect);
  expect(overlay.root.querySelectorAll('button')).toHaveLength(0);
  expect(overlay.host.style.getPropertyValue('display')).toBe('none');
});
