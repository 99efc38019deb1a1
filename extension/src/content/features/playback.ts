// While voice is on for this tab (`page/playback-watch`), the main video's playhead goes to
// the worker as a history of samples (`page/playback`): one on every play, pause, seek, rate
// change, stall and end, and one every 250 ms while playing. The worker maps a speech onset
// to the media time with it: the VAD decides a moment after the reviewer began to speak, and
// the note belongs where they began. Nothing is sent while voice is off.

import type { PlaybackSample } from '@/shared/voice';

import { mainVideo } from '../main-video-store';
import { onWorkerMessage, sendToWorker } from '../worker';

export const SAMPLE_MS = 250;
const EVENTS = ['play', 'playing', 'pause', 'seeking', 'seeked', 'ratechange', 'waiting', 'ended'];

// Outlives the features' restarts on navigation: the worker says "watch" once per tab.
let watching = false;

/** The contract's clock (src/shared/voice.ts): epoch milliseconds, shared by the contexts. */
function clock(): number {
  return performance.timeOrigin + performance.now();
}

/** The video's playhead as a sample, or null when it has none to give. */
export function sampleOf(video: HTMLVideoElement, at: number): PlaybackSample | null {
  const seconds = video.currentTime;
  if (!Number.isFinite(seconds) || seconds < 0) return null;
  const rate = video.playbackRate;
  return {
    at,
    seconds,
    playing: !video.paused && !video.ended,
    rate: Number.isFinite(rate) && rate > 0 ? rate : 1,
  };
}

export const playbackFeature = {
  name: 'playback',
  init(signal: AbortSignal): void {
    let listening: AbortController | null = null;
    let ticker: ReturnType<typeof setInterval> | undefined;

    const send = () => {
      try {
        const video = mainVideo.get();
        if (!watching || !video || signal.aborted) return;
        const sample = sampleOf(video, clock());
        if (sample) void sendToWorker({ kind: 'page/playback', sample });
      } catch {
        // A video the page replaced or broke: the next sample (or the worker's playhead
        // question) will do.
      }
    };

    const detach = () => {
      listening?.abort();
      listening = null;
      clearInterval(ticker);
      ticker = undefined;
    };

    const attach = (video: HTMLVideoElement | null) => {
      detach();
      if (!watching || !video || signal.aborted) return;
      listening = new AbortController();
      for (const type of EVENTS) {
        video.addEventListener(type, send, { passive: true, signal: listening.signal });
      }
      ticker = setInterval(() => {
        const current = mainVideo.get();
        if (current && !current.paused && !current.ended) send();
      }, SAMPLE_MS);
      send();
    };

    onWorkerMessage((message) => {
      if (message.kind !== 'page/playback-watch') return;
      watching = message.on;
      attach(mainVideo.get());
    }, signal);
    mainVideo.subscribe(attach, signal);
    signal.addEventListener('abort', detach);
    attach(mainVideo.get());
  },
};
