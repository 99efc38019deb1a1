// The content script: finds the page's main video, reports it, answers the worker about the
// playhead and draws the notes' markers. Built as one IIFE. Nothing here may throw into the
// host page: every feature runs in its own try/catch (features.ts), and so does the start.

import { startFeatures } from './features';
import { mainVideoFeature } from './features/main-video';
import { markersFeature } from './features/markers';
import { playbackFeature } from './features/playback';
import { playheadFeature } from './features/playhead';
import { watchNavigation } from './navigation-watch';
import { extensionGone } from './worker';

/** How often an orphaned copy (the extension reloaded or removed) notices and stops. */
const ORPHAN_CHECK_MS = 5_000;

function start(): void {
  // A copy injected again into this page (after an update) replaces the one before it, which
  // shares this world's globals.
  const scope = globalThis as { __lossyContentStop?: () => void };
  scope.__lossyContentStop?.();

  const manager = startFeatures([
    mainVideoFeature,
    playheadFeature,
    markersFeature,
    playbackFeature,
  ]);
  const stopWatching = watchNavigation(() => manager.restart());
  const stop = () => {
    manager.stop();
    stopWatching();
    clearInterval(orphanCheck);
    if (scope.__lossyContentStop === stop) scope.__lossyContentStop = undefined;
  };
  const orphanCheck = setInterval(() => {
    if (extensionGone()) stop();
  }, ORPHAN_CHECK_MS);
  scope.__lossyContentStop = stop;
}

try {
  start();
} catch (error) {
  console.error('[lossy] the content script could not start', error);
}
