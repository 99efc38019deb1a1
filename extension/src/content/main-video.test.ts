import { chooseMainVideo, durationSeconds, type VideoCandidate } from './main-video';

function candidate(
  video: string,
  overrides: Partial<VideoCandidate<string>> = {},
): VideoCandidate<string> {
  return {
    video,
    width: 640,
    height: 360,
    visible: true,
    duration: 60,
    playing: false,
    ...overrides,
  };
}

test('two videos on a page: the larger is the main one', () => {
  expect(
    chooseMainVideo([
      candidate('preview', { width: 320, height: 180 }),
      candidate('player', { width: 1280, height: 720 }),
    ]),
  ).toBe('player');
});

test('a hidden video is never the main one, however large', () => {
  expect(
    chooseMainVideo([
      candidate('hidden', { width: 1920, height: 1080, visible: false }),
      candidate('shown'),
    ]),
  ).toBe('shown');
});

test('tiny videos (trackers, thumbnails) are not main videos', () => {
  expect(chooseMainVideo([candidate('pixel', { width: 1, height: 1 })])).toBeNull();
});

test('without a duration a video counts only when it plays', () => {
  expect(chooseMainVideo([candidate('empty', { duration: NaN })])).toBeNull();
  expect(chooseMainVideo([candidate('mse', { duration: NaN, playing: true })])).toBe('mse');
  expect(chooseMainVideo([candidate('live', { duration: Infinity })])).toBe('live');
});

test('equal sizes: the playing one, else the first', () => {
  expect(chooseMainVideo([candidate('a'), candidate('b', { playing: true })])).toBe('b');
  expect(chooseMainVideo([candidate('a'), candidate('b')])).toBe('a');
});

test('no candidates, no main video', () => {
  expect(chooseMainVideo([])).toBeNull();
});

test.each([
  [125.5, 125.5],
  [NaN, null],
  [Infinity, null],
  [0, null],
])('durationSeconds(%s) is %s', (duration, expected) => {
  expect(durationSeconds(duration)).toBe(expected);
});
