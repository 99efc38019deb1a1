// The real transport: a `chrome.runtime` port named `PANEL_PORT` to the service worker.

import { hasKind, PANEL_PORT, type WorkerToPanel } from '@/shared/messages';

import type { Transport } from './client';

export function chromePort(): Transport {
  const port = chrome.runtime.connect({ name: PANEL_PORT });
  return {
    post: (message) => port.postMessage(message),
    onMessage(listener) {
      port.onMessage.addListener((message: unknown) => {
        // The worker is ours, but a message is still checked before it is trusted as a kind.
        if (hasKind(message)) listener(message as WorkerToPanel);
      });
    },
    onDisconnect(listener) {
      port.onDisconnect.addListener(() => listener());
    },
    disconnect: () => port.disconnect(),
  };
}
