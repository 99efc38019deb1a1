import { afterEach, beforeEach, expect, test, vi } from 'vitest';

import type { ContentToWorker, WorkerToContent } from '@/shared/messages';

import { mainVideo } from '../main-video-store';
import { playbackFeature, SAMPLE_MS, sampleOf } from './playback';

type Listener = (message: unknown, sender: { id: string }, respond: () => void) => void;

let sent: ContentToWorker[] = [];
let listeners: Listener[] = [];
let controller: AbortController;

function videoWith(
  props: Partial<Record<'currentTime' | 'paused' | 'ended' | 'playbackRate', unknown>>,
) {
  const video = document.createElement('video');
  for (const [name, value] of Object.entries(props)) {
    Object.defineProperty(video, name, { configurable: true, writable: true, value });
  }
  document.body.append(video);
  return video;
}

function fromWorker(message: WorkerToContent) {
  for (const listener of listeners) listener(message, { id: 'lossy' }, () => undefined);
}

const samples = () => sent.flatMap((m) => (m.kind === 'page/playback' ? [m.sample] : []));

beforeEach(() => {
  vi.useFakeTimers();
  sent = [];
  listeners = [];
  vi.stubGlobal('chrome', {
    runtime: {
      id: 'lossy',
      sendMessage: (message: ContentToWorker) => {
        sent.push(message);
        return Promise.resolve();
      },
      onMessage: {
        addListener: (listener: Listener) => listeners.push(listener),
        removeListener: (listener: Listener) =>
          (listeners = listeners.filter((l) => l !== listener)),
      },
    },
  });
  controller = new AbortController();
});

afterEach(() => {
  fromWorker({ kind: 'page/playback-watch', on: false });
  controller.abort();
  mainVideo.set(null);
  document.body.replaceChildren();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

test('a sample is the playhead, whether it plays, and its rate', () => {
  expect(sampleOf(videoWith({ currentTime: 12.5, paused: false, playbackRate: 1.5 }), 99)).toEqual({
    at: 99,
    seconds: 12.5,
    playing: true,
    rate: 1.5,
  });
  expect(sampleOf(videoWith({ currentTime: 3, paused: false, ended: true }), 1)?.playing).toBe(
    false,
  );
  expect(sampleOf(videoWith({ currentTime: NaN }), 1)).toBeNull();
});

test('sends nothing until the worker asks, then every change and every 250 ms while playing', () => {
  const video = videoWith({ currentTime: 5, paused: false });
  mainVideo.set(video);
  playbackFeature.init(controller.signal);
  video.dispatchEvent(new Event('play'));
  vi.advanceTimersByTime(1_000);
  expect(samples()).toEqual([]);

  fromWorker({ kind: 'page/playback-watch', on: true });
  expect(samples()).toHaveLength(1);
  vi.advanceTimersByTime(SAMPLE_MS * 4);
  expect(samples()).toHaveLength(5);

  Object.defineProperty(video, 'paused', { value: true });
  video.dispatchEvent(new Event('pause'));
  expect(samples().at(-1)).toMatchObject({ seconds: 5, playing: false });
  vi.advanceTimersByTime(SAMPLE_MS * 4);
  expect(samples()).toHaveLength(6);

  Object.defineProperty(video, 'currentTime', { value: 42 });
  video.dispatchEvent(new Event('seeked'));
  expect(samples().at(-1)?.seconds).toBe(42);

  fromWorker({ kind: 'page/playback-watch', on: false });
  video.dispatchEvent(new Event('play'));
  vi.advanceTimersByTime(SAMPLE_MS * 4);
  expect(samples()).toHaveLength(7);
});

test('keeps watching across a navigation and a new main video', () => {
  mainVideo.set(videoWith({ currentTime: 1, paused: true }));
  playbackFeature.init(controller.signal);
  fromWorker({ kind: 'page/playback-watch', on: true });
  // A single-page navigation restarts the features.
  controller.abort();
  controller = new AbortController();
  playbackFeature.init(controller.signal);
  const next = videoWith({ currentTime: 7, paused: true });
  mainVideo.set(next);
  expect(samples().at(-1)?.seconds).toBe(7);
  next.dispatchEvent(new Event('ratechange'));
  expect(samples().at(-1)?.seconds).toBe(7);
});
