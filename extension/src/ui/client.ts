// The side panel's and popup's one way to the service worker: a typed client over the
// `PANEL_PORT` protocol of src/shared/messages.ts. The UI depends on the `PanelClient`
// interface only, so the same components run against the real worker (a `chrome.runtime`
// port) and against the mock mode's fake worker (src/mock/fakeWorker.ts), which speaks the
// same messages through an in-page `Transport`.
//
// Chrome stops an idle MV3 service worker and the port disconnects with it; the client then
// connects again and restarts every operation still wanted, so a subscription outlives the
// worker that served it. A stream that resumes (`noteEvents`, PROTOCOL.md section 6.1) passes
// its operation as a function, read at each (re)start, so the new worker resumes it after
// the last offset the panel applied. Writes are not re-sent here: once `outbox/add` is posted
// the worker's durable outbox owns them.

import { sinceOf } from '@/shared/stream';
import type {
  ExtensionState,
  GraphqlOperation,
  GraphqlResult,
  OutboxWrite,
  PanelToWorker,
  PlayheadAnswer,
  WorkerToPanel,
} from '@/shared/messages';

/** One end of a port: what `chrome.runtime.Port` offers, reduced to what the client needs. */
export interface Transport {
  post(message: PanelToWorker): void;
  onMessage(listener: (message: WorkerToPanel) => void): void;
  onDisconnect(listener: () => void): void;
  disconnect(): void;
}

export interface Sink {
  next(result: GraphqlResult): void;
  /** The worker could not run the operation, or the server refused it (`errors`, with their
   * codes); GraphQL errors of a result come in `next`. */
  error?(message: string, errors?: GraphqlResult['errors']): void;
  complete?(): void;
  /** A resuming stream was sent again (a new worker, or the worker's socket came back),
   * after `since`; null: from now, so what happened meanwhile was not replayed. */
  restarted?(since: string | null): void;
}

/** What a stream sends: fixed, or read at each (re)start (a stream that resumes). */
export type PanelOperation = GraphqlOperation | (() => GraphqlOperation);

/** What the UI renders from: the worker's state, and whether the port is up at all. */
export interface ClientSnapshot {
  state: ExtensionState | null;
  /** `lost`: the port closed and a new one has not answered yet. */
  port: 'open' | 'lost';
}

export type Refusal = Extract<WorkerToPanel, { kind: 'outbox/refused' }>;

export interface PanelClient {
  /** Runs an operation (usually a subscription); answers a function that stops it. With
   * `resume`, a stream whose events carry `offset`, sent again after the last one. */
  subscribe(operation: PanelOperation, sink: Sink, options?: { resume?: boolean }): () => void;
  /** The first result of an operation (a query); rejects when the worker cannot run it. */
  query(operation: GraphqlOperation): Promise<GraphqlResult>;
  /** Hands a write to the worker's outbox (`outbox/add`). */
  write(write: OutboxWrite): void;
  /** Asks the active tab's video where it is. */
  playhead(): Promise<PlayheadAnswer>;
  /** Messages without an answer: `seek`, `sign-in`, `context/take-over`, `server/set`,
   * `voice/set`, `voice/retry`. */
  send(
    message: Extract<
      PanelToWorker,
      {
        kind: 'seek' | 'sign-in' | 'context/take-over' | 'server/set' | 'voice/set' | 'voice/retry';
      }
    >,
  ): void;
  /** `state` store, shaped for `useSyncExternalStore`. */
  // Properties, not methods: `useSyncExternalStore` takes them detached from the client.
  getSnapshot: () => ClientSnapshot;
  onSnapshot: (listener: () => void) => () => void;
  onRefused(listener: (refusal: Refusal) => void): () => void;
  onAcked(listener: (key: string) => void): () => void;
  /** The microphone's input level (`voice/level`, about ten times a second while capture
   * runs), kept out of `state` so the panel does not re-render everything for it. */
  onVoiceLevel(listener: (level: number) => void): () => void;
  close(): void;
}

export interface ClientOptions {
  /** Wait before connecting again after the port closed. */
  reconnectDelayMs?: number;
  /** A playhead request not answered by then resolves with an unknown time. */
  playheadTimeoutMs?: number;
  /** Ids of operations; tests pass a counter. */
  newId?: () => string;
}

interface Operation {
  operation: PanelOperation;
  sink: Sink;
  resume: boolean;
}

function start(id: string, op: Operation): PanelToWorker & { kind: 'op/start' } {
  const operation = typeof op.operation === 'function' ? op.operation() : op.operation;
  return op.resume
    ? { kind: 'op/start', id, operation, resume: true }
    : { kind: 'op/start', id, operation };
}

export function createPanelClient(
  connect: () => Transport,
  options: ClientOptions = {},
): PanelClient {
  const reconnectDelayMs = options.reconnectDelayMs ?? 500;
  const playheadTimeoutMs = options.playheadTimeoutMs ?? 2000;
  let counter = 0;
  const prefix = typeof crypto.randomUUID === 'function' ? crypto.randomUUID().slice(0, 8) : 'p';
  const newId = options.newId ?? (() => `${prefix}-${++counter}`);

  const operations = new Map<string, Operation>();
  const playheads: ((answer: PlayheadAnswer) => void)[] = [];
  const snapshotListeners = new Set<() => void>();
  const refusedListeners = new Set<(refusal: Refusal) => void>();
  const ackedListeners = new Set<(key: string) => void>();
  const levelListeners = new Set<(level: number) => void>();
  let snapshot: ClientSnapshot = { state: null, port: 'open' };
  let closed = false;
  let transport: Transport | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  function setSnapshot(next: ClientSnapshot) {
    if (next.state === snapshot.state && next.port === snapshot.port) return;
    snapshot = next;
    for (const listener of [...snapshotListeners]) listener();
  }

  function post(message: PanelToWorker) {
    // While the port is down, messages are dropped: operations are restarted on reconnect,
    // and a write posted then is reported to the caller by `write` throwing.
    transport?.post(message);
  }

  function receive(message: WorkerToPanel) {
    switch (message.kind) {
      case 'state':
        setSnapshot({ state: message.state, port: 'open' });
        return;
      case 'op/next':
        operations.get(message.id)?.sink.next(message.result);
        return;
      case 'op/error': {
        const op = operations.get(message.id);
        operations.delete(message.id);
        op?.sink.error?.(message.message, message.errors);
        return;
      }
      case 'op/restarted':
        operations.get(message.id)?.sink.restarted?.(message.since);
        return;
      case 'op/complete': {
        const op = operations.get(message.id);
        operations.delete(message.id);
        op?.sink.complete?.();
        return;
      }
      case 'playhead':
        playheads.shift()?.(message.answer);
        return;
      case 'outbox/refused':
        for (const listener of [...refusedListeners]) listener(message);
        return;
      case 'outbox/acked':
        for (const listener of [...ackedListeners]) listener(message.key);
        return;
      case 'voice/level':
        for (const listener of [...levelListeners]) listener(message.level);
        return;
    }
  }

  function open() {
    if (closed) return;
    let port: Transport;
    try {
      port = connect();
    } catch {
      lost();
      return;
    }
    transport = port;
    port.onMessage((message) => {
      if (transport === port) receive(message);
    });
    port.onDisconnect(() => {
      if (transport === port) lost();
    });
    // Everything still wanted runs again on the new port, under its old id.
    const restarted: (() => void)[] = [];
    for (const [id, op] of [...operations]) {
      const message = start(id, op);
      port.post(message);
      if (op.resume) restarted.push(() => op.sink.restarted?.(sinceOf(message.operation)));
    }
    for (const notify of restarted) notify();
  }

  function lost() {
    transport = null;
    setSnapshot({ state: snapshot.state, port: 'lost' });
    // A playhead asked of the old port will not be answered.
    for (const resolve of playheads.splice(0)) resolve({ seconds: null, playing: false });
    if (closed || reconnectTimer !== null) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      open();
    }, reconnectDelayMs);
  }

  open();

  const client: PanelClient = {
    subscribe(operation, sink, options = {}) {
      const id = newId();
      const op = { operation, sink, resume: options.resume === true };
      operations.set(id, op);
      post(start(id, op));
      return () => {
        if (operations.delete(id)) post({ kind: 'op/stop', id });
      };
    },

    query(operation) {
      return new Promise((resolve, reject) => {
        let settled = false;
        const stop = client.subscribe(operation, {
          next(result) {
            if (settled) return;
            settled = true;
            resolve(result);
            stop();
          },
          error(message) {
            if (settled) return;
            settled = true;
            reject(new Error(message));
          },
          complete() {
            if (settled) return;
            settled = true;
            reject(new Error('The operation ended without a result.'));
          },
        });
      });
    },

    write(write) {
      if (!transport) throw new Error('The extension is restarting; try again in a moment.');
      transport.post({ kind: 'outbox/add', write });
    },

    playhead() {
      return new Promise((resolve) => {
        if (!transport) {
          resolve({ seconds: null, playing: false });
          return;
        }
        let done = false;
        const settle = (answer: PlayheadAnswer) => {
          if (done) return;
          done = true;
          resolve(answer);
        };
        playheads.push(settle);
        setTimeout(() => {
          const at = playheads.indexOf(settle);
          if (at >= 0) playheads.splice(at, 1);
          settle({ seconds: null, playing: false });
        }, playheadTimeoutMs);
        transport.post({ kind: 'playhead' });
      });
    },

    send(message) {
      post(message);
    },

    getSnapshot: () => snapshot,
    onSnapshot(listener) {
      snapshotListeners.add(listener);
      return () => snapshotListeners.delete(listener);
    },
    onRefused(listener) {
      refusedListeners.add(listener);
      return () => refusedListeners.delete(listener);
    },
    onAcked(listener) {
      ackedListeners.add(listener);
      return () => ackedListeners.delete(listener);
    },
    onVoiceLevel(listener) {
      levelListeners.add(listener);
      return () => levelListeners.delete(listener);
    },

    close() {
      closed = true;
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      for (const id of operations.keys()) post({ kind: 'op/stop', id });
      operations.clear();
      transport?.disconnect();
      transport = null;
    },
  };
  return client;
}
