import {
  CARD_MARGIN,
  CARD_MAX_WIDTH,
  groupMarkers,
  HIT_SIZE,
  placeCard,
  visiblePart,
} from './marker-layout';

const at = (seconds: number, id = String(seconds)) => ({ seconds, id });
const ids = (groups: { markers: { id: string }[] }[]) =>
  groups.map((g) => g.markers.map((m) => m.id));

test('a marker’s hit area is centred on its time, proportionally to the duration', () => {
  const [group] = groupMarkers([at(30)], 120, 800);
  expect(group?.x).toBe(200 - HIT_SIZE / 2);
});

test('the hit area is at least the WCAG minimum target size', () => {
  expect(HIT_SIZE).toBeGreaterThanOrEqual(24);
});

test('markers at the very start and end stay whole on the strip', () => {
  const groups = groupMarkers([at(0), at(120)], 120, 800);
  expect(groups.map((g) => g.x)).toEqual([0, 800 - HIT_SIZE]);
});

test('a time after the end is dropped; a negative time is clamped to the start', () => {
  const groups = groupMarkers([at(-5, 'before'), at(121, 'after'), at(60, 'middle')], 120, 800);
  expect(groups.map((g) => [g.markers[0]?.id, g.x])).toEqual([
    ['before', 0],
    ['middle', 400 - HIT_SIZE / 2],
  ]);
});

test('without a finite duration there is no time scale, so no markers', () => {
  expect(groupMarkers([at(1)], null, 800)).toEqual([]);
  expect(groupMarkers([at(1)], Infinity, 800)).toEqual([]);
  expect(groupMarkers([at(1)], 0, 800)).toEqual([]);
  expect(groupMarkers([at(1)], 60, 0)).toEqual([]);
  expect(groupMarkers([at(1)], 60, HIT_SIZE - 1)).toEqual([]);
});

test('markers come out in time order (the keyboard order)', () => {
  const groups = groupMarkers([at(90), at(10), at(50)], 100, 1000);
  expect(ids(groups)).toEqual([['10'], ['50'], ['90']]);
});

test('markers at the same pixel form one group holding every one of them, in time order', () => {
  const markers = Array.from({ length: 20 }, (_, i) => at(30 + (19 - i) * 0.01, `n${19 - i}`));
  const groups = groupMarkers(markers, 600, 640);
  expect(ids(groups)).toEqual([Array.from({ length: 20 }, (_, i) => `n${i}`)]);
});

test('groups’ hit areas never overlap, however dense the notes', () => {
  const markers = Array.from({ length: 200 }, (_, i) => at((i * 7.3) % 600, `n${i}`));
  const groups = groupMarkers(markers, 600, 640);
  expect(groups.flatMap((g) => g.markers)).toHaveLength(200);
  for (let i = 1; i < groups.length; i += 1) {
    expect(groups[i]?.x ?? 0).toBeGreaterThanOrEqual((groups[i - 1]?.x ?? 0) + HIT_SIZE);
  }
  for (const group of groups) {
    expect(group.x).toBeGreaterThanOrEqual(0);
    expect(group.x).toBeLessThanOrEqual(640 - HIT_SIZE);
  }
});

test('markers a hit area apart each get their own', () => {
  // 10 s apart on a 1000 px strip for 100 s: 100 px apart.
  expect(ids(groupMarkers([at(10), at(20), at(30)], 100, 1000))).toEqual([['10'], ['20'], ['30']]);
  // HIT_SIZE - 1 px apart: they would overlap, so they share one.
  const close = groupMarkers([at(10), at(10 + (HIT_SIZE - 1) / 10)], 100, 1000);
  expect(close).toHaveLength(1);
  const apart = groupMarkers([at(10), at(10 + HIT_SIZE / 10)], 100, 1000);
  expect(apart).toHaveLength(2);
});

test('a card mid-strip opens centred on its marker', () => {
  expect(placeCard(400, { from: 0, to: 800 })).toEqual({
    align: 'centre',
    at: 400,
    maxWidth: CARD_MAX_WIDTH,
  });
});

test('a card near an edge is anchored so it stays inside the strip', () => {
  const left = placeCard(12, { from: 0, to: 800 });
  expect(left).toEqual({ align: 'start', at: CARD_MARGIN, maxWidth: CARD_MAX_WIDTH });
  const right = placeCard(790, { from: 0, to: 800 });
  expect(right).toEqual({ align: 'end', at: 800 - CARD_MARGIN, maxWidth: CARD_MAX_WIDTH });
  // Not far from its marker: the anchored edge is at most half a card away.
  const nearLeft = placeCard(120, { from: 0, to: 800 });
  expect(nearLeft.align).toBe('start');
  expect(nearLeft.at).toBe(Math.max(CARD_MARGIN, 120 - CARD_MAX_WIDTH / 2));
});

test('on a narrow video a card is no wider than the video', () => {
  const card = placeCard(100, { from: 0, to: 200 });
  expect(card.maxWidth).toBe(200 - 2 * CARD_MARGIN);
  expect(card.at - card.maxWidth / 2).toBeGreaterThanOrEqual(CARD_MARGIN);
});

test('a card stays inside the part of the video the viewport shows', () => {
  // A 1200 px video whose left 300 px are scrolled off to the left of a 1000 px viewport.
  const visible = visiblePart({ left: -300, width: 1200 }, 1000);
  expect(visible).toEqual({ from: 300, to: 1200 });
  const card = placeCard(310, visible);
  expect(card).toEqual({ align: 'start', at: 300 + CARD_MARGIN, maxWidth: CARD_MAX_WIDTH });
  // And one cut on the right.
  expect(visiblePart({ left: 100, width: 1200 }, 1000)).toEqual({ from: 0, to: 900 });
  const [group] = groupMarkers([at(70)], 100, 1200, visiblePart({ left: 100, width: 1200 }, 1000));
  expect(group?.card.align).toBe('end');
  expect(group?.card.at).toBe(900 - CARD_MARGIN);
});
