// The side panel's and popup's ports (PANEL_PORT): every GraphQL operation they start runs
// on the worker's socket and stops with the port; every state change reaches every port, as
// its own window sees it (the port's name says the window: `panelPortName`).

import {
  hasKind,
  panelPortWindow,
  type ExtensionState,
  type PanelToWorker,
  type WorkerToPanel,
} from '@/shared/messages';

import type { Socket } from './socket/socket';

export type PanelRequest = Exclude<PanelToWorker, { kind: 'op/start' } | { kind: 'op/stop' }>;

export class Panels {
  private readonly ports = new Map<
    chrome.runtime.Port,
    { windowId: number | null; operations: Map<string, () => void> }
  >();

  constructor(
    private readonly socket: Socket,
    /** Everything but operations; `reply` answers the asking port only; `windowId` is the
     * asking panel's window (null when it did not say). */
    private readonly handle: (
      request: PanelRequest,
      reply: (message: WorkerToPanel) => void,
      windowId: number | null,
    ) => Promise<void>,
    /** The state as the panels of one window see it. */
    private readonly stateOf: (windowId: number | null) => ExtensionState,
  ) {}

  /** Accepts `port` if it is a panel's; returns whether it was. */
  accept(port: chrome.runtime.Port): boolean {
    const named = panelPortWindow(port.name);
    if (!named) return false;
    const { windowId } = named;
    // Only the extension's own pages may connect (the content script does not use ports).
    if (!port.sender?.url?.startsWith(chrome.runtime.getURL(''))) {
      port.disconnect();
      return true;
    }
    const operations = new Map<string, () => void>();
    this.ports.set(port, { windowId, operations });
    const send = (message: WorkerToPanel) => {
      if (this.ports.has(port)) port.postMessage(message);
    };
    port.onMessage.addListener((message: unknown) => {
      if (!hasKind(message)) return;
      const request = message as PanelToWorker;
      switch (request.kind) {
        case 'op/start': {
          operations.get(request.id)?.();
          const { id } = request;
          const stop = this.socket.subscribe(request.operation, {
            next: (result) => send({ kind: 'op/next', id, result }),
            error: (text) => {
              operations.delete(id);
              send({ kind: 'op/error', id, message: text });
            },
            complete: () => {
              operations.delete(id);
              send({ kind: 'op/complete', id });
            },
          });
          operations.set(id, stop);
          return;
        }
        case 'op/stop':
          operations.get(request.id)?.();
          operations.delete(request.id);
          return;
        default:
          void this.handle(request, send, windowId).catch((error: unknown) => {
            console.warn('[lossy] panel request failed', request.kind, error);
          });
      }
    });
    port.onDisconnect.addListener(() => {
      for (const stop of operations.values()) stop();
      this.ports.delete(port);
    });
    send({ kind: 'state', state: this.stateOf(windowId) });
    return true;
  }

  broadcast(message: WorkerToPanel): void {
    for (const port of this.ports.keys()) port.postMessage(message);
  }

  /** Every panel's `state`, as its window sees it. */
  broadcastState(): void {
    const states = new Map<number | null, ExtensionState>();
    for (const [port, { windowId }] of this.ports) {
      let state = states.get(windowId);
      if (!state) {
        state = this.stateOf(windowId);
        states.set(windowId, state);
      }
      port.postMessage({ kind: 'state', state } satisfies WorkerToPanel);
    }
  }
}
