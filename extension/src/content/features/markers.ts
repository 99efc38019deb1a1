// Draws the worker's markers (`page/markers`) on the main video's progress strip and keeps
// them there through scrolling, resizing and fullscreen; clicking one seeks and tells the
// worker (`page/marker-clicked`).

import type { Marker } from '@/shared/messages';

import { mainVideo } from '../main-video-store';
import { createMarkerOverlay, type MarkerOverlay } from '../marker-overlay';
import { durationSeconds } from '../main-video';
import { rectOf } from '../native';
import { onWorkerMessage, sendToWorker } from '../worker';
import { seek } from './playhead';

/** Layout shifts that fire no event (a sidebar opening) are caught by this slow check. */
const SLOW_PLACE_MS = 1_000;

/** The fullscreen element when it is not the video itself (then nothing can draw over it). */
function fullscreenContainer(): Element | null {
  const element = document.fullscreenElement;
  return element && !(element instanceof HTMLVideoElement) ? element : null;
}

export const markersFeature = {
  name: 'markers',
  init(signal: AbortSignal): void {
    let markers: Marker[] = [];
    let overlay: MarkerOverlay | null = null;
    let frame = 0;
    let resizeObserver: ResizeObserver | null = null;
    let observedVideo: HTMLVideoElement | null = null;

    const draw = () => {
      frame = 0;
      const video = mainVideo.get();
      if (signal.aborted) return;
      if (!video || markers.length === 0) {
        overlay?.remove();
        overlay = null;
        return;
      }
      overlay ??= createMarkerOverlay((marker) => {
        const current = mainVideo.get();
        if (current) seek(current, marker.seconds);
        void sendToWorker({ kind: 'page/marker-clicked', noteId: marker.noteId });
      });
      overlay.attachTo(fullscreenContainer() ?? document.documentElement);
      overlay.render(markers, durationSeconds(video.duration), rectOf(video));
    };
    // Scroll fires many times a frame: one placement per animation frame.
    const schedule = () => {
      if (!frame && !signal.aborted) frame = requestAnimationFrame(draw);
    };

    const follow = (video: HTMLVideoElement | null) => {
      if (video === observedVideo) return;
      if (observedVideo) resizeObserver?.unobserve(observedVideo);
      observedVideo = video;
      if (video) resizeObserver?.observe(video);
      schedule();
    };

    if (typeof ResizeObserver !== 'undefined') resizeObserver = new ResizeObserver(schedule);
    mainVideo.subscribe(follow, signal);
    follow(mainVideo.get());

    const passive = { capture: true, passive: true, signal };
    window.addEventListener('scroll', schedule, passive);
    window.addEventListener('resize', schedule, passive);
    document.addEventListener('fullscreenchange', schedule, { signal });
    // The time scale changes with the duration.
    document.addEventListener('durationchange', schedule, passive);
    document.addEventListener('loadedmetadata', schedule, passive);
    const slow = setInterval(schedule, SLOW_PLACE_MS);

    onWorkerMessage((message) => {
      if (message.kind !== 'page/markers') return;
      markers = Array.isArray(message.markers) ? message.markers : [];
      schedule();
    }, signal);

    signal.addEventListener('abort', () => {
      if (frame) cancelAnimationFrame(frame);
      clearInterval(slow);
      resizeObserver?.disconnect();
      overlay?.remove();
      overlay = null;
    });
  },
};
