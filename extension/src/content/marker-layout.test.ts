import { formatTime, MARKER_GAP, MARKER_WIDTH, MAX_LANES, placeMarkers } from './marker-layout';

const at = (seconds: number, id = String(seconds)) => ({ seconds, id });

test('a marker is centred on its time, proportionally to the duration', () => {
  const [placed] = placeMarkers([at(30)], 120, 800);
  expect(placed?.x).toBe(200 - MARKER_WIDTH / 2);
  expect(placed?.lane).toBe(0);
});

test('markers at the very start and end stay whole on the strip', () => {
  const placed = placeMarkers([at(0), at(120)], 120, 800);
  expect(placed.map((p) => p.x)).toEqual([0, 800 - MARKER_WIDTH]);
});

test('a time after the end is dropped; a negative time is clamped to the start', () => {
  const placed = placeMarkers([at(-5, 'before'), at(121, 'after'), at(60, 'middle')], 120, 800);
  expect(placed.map((p) => [p.marker.id, p.x])).toEqual([
    ['before', 0],
    ['middle', 400 - MARKER_WIDTH / 2],
  ]);
});

test('without a finite duration there is no time scale, so no markers', () => {
  expect(placeMarkers([at(1)], null, 800)).toEqual([]);
  expect(placeMarkers([at(1)], Infinity, 800)).toEqual([]);
  expect(placeMarkers([at(1)], 0, 800)).toEqual([]);
  expect(placeMarkers([at(1)], 60, 0)).toEqual([]);
});

test('markers come out in time order (the keyboard order)', () => {
  const placed = placeMarkers([at(90), at(10), at(50)], 100, 1000);
  expect(placed.map((p) => p.marker.seconds)).toEqual([10, 50, 90]);
});

test('many markers at nearly the same time stay clickable: none covers another', () => {
  const markers = Array.from({ length: 20 }, (_, i) => at(30 + i * 0.01, `n${i}`));
  const placed = placeMarkers(markers, 600, 640);
  expect(placed).toHaveLength(20);
  expect(Math.max(...placed.map((p) => p.lane))).toBe(MAX_LANES - 1);
  for (const a of placed) {
    for (const b of placed) {
      if (a === b || a.lane !== b.lane) continue;
      expect(Math.abs(a.x - b.x)).toBeGreaterThanOrEqual(MARKER_WIDTH + MARKER_GAP);
    }
  }
});

test('markers far enough apart share the bottom lane', () => {
  const placed = placeMarkers([at(10), at(20), at(30)], 100, 1000);
  expect(placed.map((p) => p.lane)).toEqual([0, 0, 0]);
});

test.each([
  [0, '0:00'],
  [75.9, '1:15'],
  [3725, '1:02:05'],
  [-3, '0:00'],
])('formatTime(%s) is %s', (seconds, text) => {
  expect(formatTime(seconds)).toBe(text);
});
