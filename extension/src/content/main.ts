// The content script: finds the page's main video, reports it, answers the worker about the
// playhead and draws the notes' markers. Built as one IIFE. Nothing here may throw into the
// host page: every feature runs in its own try/catch (features.ts), and so does the start.

import { startFeatures, type FeatureManager } from './features';
import { mainVideoFeature } from './features/main-video';
import { markersFeature } from './features/markers';
import { playheadFeature } from './features/playhead';
import { watchNavigation } from './navigation-watch';
import { extensionGone } from './worker';

function start(): void {
  // Injected twice (an extension reload re-runs content scripts in open tabs): the old copy is
  // orphaned and stops itself; this marks the page so the same copy never starts twice.
  const marker = '__lossyContentStarted';
  const scope = globalThis as unknown as Record<string, unknown>;
  if (scope[marker]) return;
  scope[marker] = true;

  const manager: FeatureManager = startFeatures([
    mainVideoFeature,
    playheadFeature,
    markersFeature,
  ]);
  const stopWatching = watchNavigation(() => {
    if (extensionGone()) {
      manager.stop();
      stopWatching();
      return;
    }
    manager.restart();
  });
}

try {
  start();
} catch (error) {
  console.error('[lossy] the content script could not start', error);
}
