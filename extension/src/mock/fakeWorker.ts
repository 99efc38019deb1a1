// A fake service worker for the mock mode and the component tests: it answers the side
// panel's port protocol (src/shared/messages.ts) from the in-page mock backend, keeps a
// scripted `ExtensionState`, and has an outbox that holds writes while "offline" and drains
// them in order when back, refusing for good what the backend refuses (as the real outbox
// does). Its "socket" drops with the connection as the real one does: subscriptions hear
// nothing while it is down and are sent again when it is back, a `resume` stream after the
// last offset it passed on (with `op/restarted`). The UI connects to it through the same
// `createPanelClient` as to the real worker.

import {
  execute,
  Kind,
  OperationTypeNode,
  parse,
  subscribe,
  type DocumentNode,
  type ExecutionResult,
} from 'graphql';

import type { Transport } from '@/ui/client';
import type {
  ExtensionState,
  GraphqlOperation,
  GraphqlResult,
  OutboxWrite,
  PanelToWorker,
  WorkerToPanel,
} from '@/shared/messages';
import { offsetOf, resumedAfter, sinceOf } from '@/shared/stream';

import { createMockBackend, type MockBackend } from './backend';

export type Scenario = 'signed-in' | 'offline' | 'taken' | 'signed-out' | 'revoked' | 'no-video';

export const SCENARIOS: readonly Scenario[] = [
  'signed-in',
  'offline',
  'taken',
  'signed-out',
  'revoked',
  'no-video',
];

export const MOCK_VIDEO = {
  id: '11111111-2222-4333-8444-555555555555',
  tabId: 1,
  title: 'Mock: the director’s cut',
  platform: 'youtube',
};

export const SIGNED_IN: ExtensionState = {
  server: 'http://127.0.0.1:4000',
  auth: { kind: 'signed-in', email: 'reviewer@example.com', deviceId: 'mock-device' },
  connection: 'connected',
  waiting: 0,
  features: { server_notes_channel: true, server_video_context: true },
  video: MOCK_VIDEO,
  context: 'owner',
};

/** The state each scenario starts from. */
export function scenarioState(scenario: Scenario): ExtensionState {
  switch (scenario) {
    case 'signed-in':
      return SIGNED_IN;
    case 'offline':
      return { ...SIGNED_IN, connection: 'offline' };
    case 'taken':
      return { ...SIGNED_IN, context: 'taken' };
    case 'signed-out':
      return { ...SIGNED_IN, auth: { kind: 'signed-out', reason: 'never' }, video: null };
    case 'revoked':
      return { ...SIGNED_IN, auth: { kind: 'signed-out', reason: 'revoked' }, video: null };
    case 'no-video':
      return { ...SIGNED_IN, video: null, context: 'off' };
  }
}

const MUTATIONS: Record<OutboxWrite['kind'], string> = {
  createNote: 'mutation ($input: CreateNoteInput!) { createNote(input: $input) { id } }',
  updateNote: 'mutation ($input: UpdateNoteInput!) { updateNote(input: $input) { id } }',
  deleteNote:
    'mutation ($id: ID!, $reason: String) { deleteNote(id: $id, reason: $reason) { id } }',
  restoreNote: 'mutation ($id: ID!) { restoreNote(id: $id) { id } }',
  updateSettings:
    'mutation ($input: UpdateSettingsInput!) { updateSettings(input: $input) { version } }',
  submitTranscript:
    'mutation ($input: SubmitTranscriptInput!) { submitTranscript(input: $input) { id } }',
};

/** Codes the real outbox treats as final: retrying cannot help. */
const FINAL_CODES = new Set(['BAD_USER_INPUT', 'CONFLICT', 'NOT_FOUND', 'FORBIDDEN']);

export interface FakeWorkerOptions {
  scenario?: Scenario;
  backend?: MockBackend;
  /** Where the "video" is when the panel asks. */
  playhead?: () => number | null;
}

export interface FakeWorker {
  readonly backend: MockBackend;
  /** Opens a port, as `chrome.runtime.connect` would. */
  connect: () => Transport;
  getState(): ExtensionState;
  setState(change: Partial<ExtensionState>): void;
  setScenario(scenario: Scenario): void;
  /** What the panel sent besides operations (seek, sign-in, take-over, server/set, …). */
  readonly received: PanelToWorker[];
  /** The panels' operations as sent to the mock server, in order: each query once, each
   * subscription each time it is sent (again after the socket came back). */
  readonly sent: GraphqlOperation[];
  /** Writes still in the outbox. */
  readonly outbox: readonly OutboxWrite[];
  /** Queues a write as if a panel had sent it (the mock's "offline with waiting items"). */
  enqueue(write: OutboxWrite): void;
  /** Closes every port, as Chrome does when it stops the worker. */
  crash(): void;
}

function variablesOf(write: OutboxWrite): Record<string, unknown> {
  switch (write.kind) {
    case 'deleteNote':
      return { id: write.id, reason: write.reason };
    case 'restoreNote':
      return { id: write.id };
    default:
      return { input: write.input };
  }
}

interface Subscription {
  document: DocumentNode;
  /** As the panel started it, and as it is sent now (a `resume` stream: after its offset). */
  original: GraphqlOperation;
  operation: GraphqlOperation;
  resume: boolean;
  stream: AsyncIterableIterator<ExecutionResult> | null;
  /** It was sent once: a later send is a restart. */
  heard: boolean;
}

function isAsyncIterable(value: unknown): value is AsyncIterableIterator<ExecutionResult> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

export function createFakeWorker(options: FakeWorkerOptions = {}): FakeWorker {
  const backend = options.backend ?? createMockBackend();
  let state = scenarioState(options.scenario ?? 'signed-in');
  const outbox: OutboxWrite[] = [];
  const received: PanelToWorker[] = [];
  const sent: GraphqlOperation[] = [];
  const ports = new Set<{
    deliver: (message: WorkerToPanel) => void;
    close: () => void;
    socketDown: () => void;
    socketUp: () => void;
  }>();
  let draining = false;
  let playheadOffset: number | null = null;

  function broadcast(message: WorkerToPanel) {
    for (const port of ports) port.deliver(message);
  }

  function setState(change: Partial<ExtensionState>) {
    const wasConnected = state.connection === 'connected';
    state = { ...state, ...change, waiting: outbox.length };
    const isConnected = state.connection === 'connected';
    // The real worker's socket: down with the connection, streams sent again when back.
    for (const port of ports) {
      if (wasConnected && !isConnected) port.socketDown();
      if (!wasConnected && isConnected) port.socketUp();
    }
    broadcast({ kind: 'state', state });
    void drain();
  }

  async function drain() {
    if (draining) return;
    draining = true;
    try {
      while (
        outbox.length > 0 &&
        state.connection === 'connected' &&
        state.auth.kind === 'signed-in'
      ) {
        const write = outbox[0];
        if (!write) break;
        const result = await execute({
          schema: backend.schema,
          document: parse(MUTATIONS[write.kind]),
          variableValues: variablesOf(write),
        });
        const error = result.errors?.[0];
        const code = error?.extensions.code;
        if (error && !(typeof code === 'string' && FINAL_CODES.has(code))) break;
        outbox.shift();
        state = { ...state, waiting: outbox.length };
        broadcast({ kind: 'state', state });
        if (error) {
          const field = error.extensions.field;
          broadcast({
            kind: 'outbox/refused',
            write,
            code: String(code),
            message: error.message,
            ...(typeof field === 'string' ? { field } : {}),
          });
        } else {
          broadcast({ kind: 'outbox/acked', key: write.key });
        }
      }
    } finally {
      draining = false;
    }
  }

  function playheadSeconds(): number | null {
    if (playheadOffset !== null) return playheadOffset;
    return options.playhead ? options.playhead() : 0;
  }

  function connect(): Transport {
    const messageListeners: ((message: WorkerToPanel) => void)[] = [];
    const disconnectListeners: (() => void)[] = [];
    /** The subscriptions of this port; `stream` is null while the socket is down. */
    const running = new Map<string, Subscription>();
    let open = true;

    function stopAll() {
      for (const subscription of running.values()) void subscription.stream?.return?.();
      running.clear();
    }

    const port = {
      // Like a real port, delivery is asynchronous: never inside the sender's call.
      deliver(message: WorkerToPanel) {
        setTimeout(() => {
          if (open) for (const listener of messageListeners) listener(message);
        }, 0);
      },
      close() {
        open = false;
        ports.delete(port);
        stopAll();
        setTimeout(() => {
          for (const listener of disconnectListeners) listener();
        }, 0);
      },
      socketDown() {
        for (const subscription of running.values()) {
          const stream = subscription.stream;
          subscription.stream = null;
          void stream?.return?.();
        }
      },
      socketUp() {
        for (const [id, subscription] of running) {
          if (subscription.stream) continue;
          if (subscription.heard && subscription.resume) {
            port.deliver({ kind: 'op/restarted', id, since: sinceOf(subscription.operation) });
          }
          void follow(id, subscription);
        }
      },
    };
    ports.add(port);

    async function start(id: string, operation: GraphqlOperation, resume: boolean) {
      let document: DocumentNode;
      try {
        document = parse(operation.query);
      } catch (error) {
        port.deliver({ kind: 'op/error', id, message: String(error) });
        return;
      }
      const isSubscription = document.definitions.some(
        (definition) =>
          definition.kind === Kind.OPERATION_DEFINITION &&
          definition.operation === OperationTypeNode.SUBSCRIPTION,
      );
      if (!isSubscription) {
        sent.push(operation);
        const result = await execute({
          schema: backend.schema,
          document,
          variableValues: operation.variables,
        });
        port.deliver({ kind: 'op/next', id, result: result as GraphqlResult });
        port.deliver({ kind: 'op/complete', id });
        return;
      }
      const subscription: Subscription = {
        document,
        original: operation,
        operation,
        resume,
        stream: null,
        heard: false,
      };
      running.set(id, subscription);
      // Sent once the socket is up, as the real worker's socket does.
      if (state.connection === 'connected') await follow(id, subscription);
    }

    async function follow(id: string, subscription: Subscription) {
      subscription.heard = true;
      sent.push(subscription.operation);
      const stream = await subscribe({
        schema: backend.schema,
        document: subscription.document,
        variableValues: subscription.operation.variables,
      });
      if (running.get(id) !== subscription) return;
      if (!isAsyncIterable(stream)) {
        // Refused before it ran: the server's `error` message, with its codes.
        running.delete(id);
        const errors = (stream.errors ?? []).map((error) => ({
          message: error.message,
          extensions: { ...error.extensions },
        }));
        port.deliver({
          kind: 'op/error',
          id,
          message: errors.map((error) => error.message).join('; '),
          errors,
        });
        return;
      }
      subscription.stream = stream;
      for await (const result of stream) {
        const offset = subscription.resume ? offsetOf(result as GraphqlResult) : null;
        if (offset !== null) subscription.operation = resumedAfter(subscription.original, offset);
        port.deliver({ kind: 'op/next', id, result: result as GraphqlResult });
      }
      // Ended by the server, not by the socket going down or a stop.
      if (subscription.stream === stream && running.get(id) === subscription) {
        running.delete(id);
        port.deliver({ kind: 'op/complete', id });
      }
    }

    function handle(message: PanelToWorker) {
      switch (message.kind) {
        case 'op/start':
          void start(message.id, message.operation, message.resume === true);
          return;
        case 'op/stop': {
          const subscription = running.get(message.id);
          running.delete(message.id);
          void subscription?.stream?.return?.();
          return;
        }
        case 'outbox/add':
          outbox.push(message.write);
          setState({});
          return;
        case 'playhead':
          port.deliver({ kind: 'playhead', answer: { seconds: playheadSeconds(), playing: true } });
          break;
        case 'seek':
          playheadOffset = message.seconds;
          break;
        case 'sign-in':
          setState({ auth: SIGNED_IN.auth, video: state.video ?? MOCK_VIDEO });
          break;
        case 'context/take-over':
          setState({ context: 'owner' });
          break;
        case 'server/set':
          setState({ server: message.server });
          break;
      }
      received.push(message);
    }

    // The real worker pushes its state to every panel that connects.
    port.deliver({ kind: 'state', state });
    return {
      post(message) {
        if (!open) throw new Error('Attempting to use a disconnected port object');
        setTimeout(() => handle(message), 0);
      },
      onMessage: (listener) => messageListeners.push(listener),
      onDisconnect: (listener) => disconnectListeners.push(listener),
      disconnect() {
        open = false;
        ports.delete(port);
        stopAll();
      },
    };
  }

  return {
    backend,
    connect,
    getState: () => state,
    setState,
    setScenario(scenario) {
      setState(scenarioState(scenario));
    },
    received,
    sent,
    outbox,
    enqueue(write) {
      outbox.push(write);
      setState({});
    },
    crash() {
      for (const port of [...ports]) port.close();
    },
  };
}
