// The real transport: a `chrome.runtime` port to the service worker, named for the page's
// browser window (`panelPortName`), so the worker sends it that window's video and context.

import { hasKind, panelPortName, type WorkerToPanel } from '@/shared/messages';

import type { Transport } from './client';

export function chromePort(windowId: number | null): Transport {
  const port = chrome.runtime.connect({ name: panelPortName(windowId) });
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

/**
 * The window this page belongs to: the side panel's own window, the popup's, or the window
 * of the tab an extension page was opened in. Null when Chrome cannot say (the worker then
 * shows the focused window's tab).
 */
export async function currentWindowId(): Promise<number | null> {
  try {
    const window = await chrome.windows.getCurrent();
    return window.id ?? null;
  } catch {
    return null;
  }
}
