// Answers the worker's playhead question and seeks, pauses or resumes the main video.

import type { PlayheadAnswer } from '@/shared/messages';

import { mainVideo } from '../main-video-store';
import { onWorkerMessage } from '../worker';

export function playheadOf(video: HTMLVideoElement | null): PlayheadAnswer {
  if (!video) return { seconds: null, playing: false };
  const seconds = video.currentTime;
  return {
    seconds: Number.isFinite(seconds) ? seconds : null,
    playing: !video.paused && !video.ended,
  };
}

/** Seeks within the video's range (a live stream's end is not a number to clamp to). */
export function seek(video: HTMLVideoElement, seconds: number): void {
  if (!Number.isFinite(seconds)) return;
  const end = Number.isFinite(video.duration) ? video.duration : Infinity;
  video.currentTime = Math.min(Math.max(0, seconds), end);
}

export const playheadFeature = {
  name: 'playhead',
  init(signal: AbortSignal): void {
    onWorkerMessage((message, respond) => {
      const video = mainVideo.get();
      switch (message.kind) {
        case 'page/playhead':
          // Every frame of the tab hears the question: only the one whose video is the tab's
          // answers (with none, the worker hears no answer and reads "no playhead").
          if (video) respond(playheadOf(video));
          break;
        case 'page/seek':
          if (video) seek(video, message.seconds);
          break;
        case 'page/pause':
          video?.pause();
          break;
        case 'page/resume':
          // The browser's autoplay policy may refuse; the worker reads the playhead to know.
          video?.play().catch(() => undefined);
          break;
        default:
          break;
      }
    }, signal);
  },
};
