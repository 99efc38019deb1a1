// The side panel's and popup's ports (PANEL_PORT): every GraphQL operation they start runs
// on the worker's socket and stops with the port; every state change reaches every port, as
// its own window sees it (the port's name says the window: `panelPortName`). A stream the
// panel marks `resume` is sent again after the last offset it passed on each time the socket
// comes back: the worker does it, since only the worker sees the socket come back in time.

import {
  hasKind,
  panelPortWindow,
  type ExtensionState,
  type PanelToWorker,
  type WorkerToPanel,
} from '@/shared/messages';
import { offsetOf, resumedAfter, sinceOf } from '@/shared/stream';

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
          const { id, resume } = request;
          // A resuming stream is sent again after the last offset passed on to the panel.
          let operation = request.operation;
          const stop = this.socket.subscribe(resume ? () => operation : operation, {
            next: (result) => {
              const offset = resume ? offsetOf(result) : null;
              if (offset !== null) operation = resumedAfter(request.operation, offset);
              send({ kind: 'op/next', id, result });
            },
            error: (text, errors) => {
              operations.delete(id);
              send(
                errors
                  ? { kind: 'op/error', id, message: text, errors }
                  : { kind: 'op/error', id, message: text },
              );
            },
            complete: () => {
              operations.delete(id);
              send({ kind: 'op/complete', id });
            },
            resent: (payload) => send({ kind: 'op/restarted', id, since: sinceOf(payload) }),
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
