import { describeVideo, pageTitle } from './main-video';
import { playheadOf, seek } from './playhead';

afterEach(() => {
  document.head.replaceChildren();
  document.title = '';
});

function videoWith(props: { duration?: number; currentTime?: number; paused?: boolean }) {
  const video = document.createElement('video');
  for (const [name, value] of Object.entries(props)) {
    Object.defineProperty(video, name, { configurable: true, writable: true, value });
  }
  return video;
}

test('the title is document.title, else og:title, else null', () => {
  expect(pageTitle(document)).toBeNull();
  const og = document.createElement('meta');
  og.setAttribute('property', 'og:title');
  og.setAttribute('content', '  Shared title ');
  document.head.append(og);
  expect(pageTitle(document)).toBe('Shared title');
  document.title = 'Own title';
  expect(pageTitle(document)).toBe('Own title');
});

test('a video without a duration is described with durationSeconds null', () => {
  const first = describeVideo(videoWith({ duration: NaN }));
  expect(first).toMatchObject({ url: location.href, durationSeconds: null });
  expect(describeVideo(videoWith({ duration: 12.5 }))).toMatchObject({
    durationSeconds: 12.5,
    // One id per page load, whatever the video.
    pageInstanceId: first?.pageInstanceId,
  });
  expect(describeVideo(null)).toBeNull();
});

test('the playhead of no video is null and not playing', () => {
  expect(playheadOf(null)).toEqual({ seconds: null, playing: false });
  expect(playheadOf(videoWith({ currentTime: 4.5, paused: false }))).toEqual({
    seconds: 4.5,
    playing: true,
  });
});

test('seeking stays within the video', () => {
  const video = videoWith({ duration: 30, currentTime: 0 });
  seek(video, 45);
  expect(video.currentTime).toBe(30);
  seek(video, -2);
  expect(video.currentTime).toBe(0);
  seek(video, NaN);
  expect(video.currentTime).toBe(0);
  const live = videoWith({ duration: Infinity, currentTime: 0 });
  seek(live, 100);
  expect(live.currentTime).toBe(100);
});
