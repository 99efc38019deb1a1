// The content script's side of the messages with the service worker (src/shared/messages.ts).

import { hasKind, type ContentToWorker, type WorkerToContent } from '@/shared/messages';

/** The extension was reloaded or removed: this copy of the script is orphaned for good. */
export function extensionGone(): boolean {
  try {
    return !chrome.runtime.id;
  } catch {
    return true;
  }
}

/**
 * Sends a message to the worker. False when it could not be delivered: the worker is
 * restarting (no listener yet) or the extension is gone; never throws into the page.
 */
export async function sendToWorker(message: ContentToWorker): Promise<boolean> {
  if (extensionGone()) return false;
  try {
    await chrome.runtime.sendMessage(message);
    return true;
  } catch {
    return false;
  }
}

type Handler = (message: WorkerToContent, respond: (answer: unknown) => void) => void;

/** Listens to the worker's messages until `signal` aborts. */
export function onWorkerMessage(handler: Handler, signal: AbortSignal): void {
  if (extensionGone()) return;
  const listener = (
    message: unknown,
    sender: chrome.runtime.MessageSender,
    sendResponse: (answer: unknown) => void,
  ): undefined => {
    // Only our own extension talks to us this way; other senders are ignored.
    if (sender.id !== chrome.runtime.id || !hasKind(message)) return undefined;
    try {
      handler(message as WorkerToContent, sendResponse);
    } catch (error) {
      console.error('[lossy] handling a message from the extension failed', error);
    }
    return undefined;
  };
  chrome.runtime.onMessage.addListener(listener);
  signal.addEventListener('abort', () => {
    try {
      chrome.runtime.onMessage.removeListener(listener);
    } catch {
      // The extension is gone; its listeners went with it.
    }
  });
}
