import { areaOf, chooseVideo, isTopFrame, randomKey } from './frames';
import { MIN_HEIGHT, MIN_WIDTH } from './main-video';

test('the largest video wins, whether the top frame’s own or a frame’s', () => {
  expect(chooseVideo(640 * 360, [{ key: 'ad', area: 300 * 250 }])).toBe('own');
  expect(
    chooseVideo(160 * 90, [
      { key: 'ad', area: 300 * 250 },
      { key: 'player', area: 640 * 360 },
    ]),
  ).toBe('player');
  expect(chooseVideo(0, [{ key: 'player', area: 640 * 360 }])).toBe('player');
});

test('a tie goes to the top frame’s own video, then to the first frame that offered', () => {
  expect(chooseVideo(100 * 100, [{ key: 'frame', area: 100 * 100 }])).toBe('own');
  expect(
    chooseVideo(0, [
      { key: 'first', area: 5000 },
      { key: 'second', area: 5000 },
    ]),
  ).toBe('first');
});

test('no video anywhere: no choice', () => {
  expect(chooseVideo(0, [])).toBeNull();
  expect(chooseVideo(0, [{ key: 'gone', area: 0 }])).toBeNull();
});

test('a video (or a frame) smaller than a player has no area', () => {
  expect(areaOf({ width: MIN_WIDTH, height: MIN_HEIGHT })).toBe(MIN_WIDTH * MIN_HEIGHT);
  expect(areaOf({ width: MIN_WIDTH - 1, height: 500 })).toBe(0);
  expect(areaOf({ width: 500, height: MIN_HEIGHT - 1 })).toBe(0);
});

test('the test page is a top frame', () => {
  expect(isTopFrame()).toBe(true);
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('ids are version 4 UUIDs, also where crypto.randomUUID is missing (an http page)', () => {
  expect(randomKey()).toMatch(UUID);
  const spy = vi.spyOn(crypto, 'randomUUID').mockImplementation(() => {
    throw new TypeError('crypto.randomUUID is not a function');
  });
  try {
    const keys = new Set(Array.from({ length: 50 }, () => randomKey()));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(UUID);
  } finally {
    spy.mockRestore();
  }
});
