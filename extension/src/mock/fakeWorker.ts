// A fake service worker for the mock mode and the component tests: it answers the side
// panel's port protocol (src/shared/messages.ts) from the in-page mock backend, keeps a
// scripted `ExtensionState`, and has an outbox that holds writes while "offline" and drains
// them in order when back, refusing for good what the backend refuses (as the real outbox
// does). The UI connects to it through the same `createPanelClient` as to the real worker.

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
  GraphqlResult,
  OutboxWrite,
  PanelToWorker,
  WorkerToPanel,
} from '@/shared/messages';

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

function isAsyncIterable(value: unknown): value is AsyncIterableIterator<ExecutionResult> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

export function createFakeWorker(options: FakeWorkerOptions = {}): FakeWorker {
  const backend = options.backend ?? createMockBackend();
  let state = scenarioState(options.scenario ?? 'signed-in');
  const outbox: OutboxWrite[] = [];
  const received: PanelToWorker[] = [];
  const ports = new Set<{ deliver: (message: WorkerToPanel) => void; close: () => void }>();
  let draining = false;
  let playheadOffset: number | null = null;

  function broadcast(message: WorkerToPanel) {
    for (const port of ports) port.deliver(message);
  }

  function setState(change: Partial<ExtensionState>) {
    state = { ...state, ...change, waiting: outbox.length };
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
    const running = new Map<string, AsyncIterableIterator<ExecutionResult>>();
    let open = true;

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
        for (const iterator of running.values()) void iterator.return?.();
        running.clear();
        setTimeout(() => {
          for (const listener of disconnectListeners) listener();
        }, 0);
      },
    };
    ports.add(port);

    async function start(
      id: string,
      query: string,
      variables: Record<string, unknown> | undefined,
    ) {
      let document: DocumentNode;
      try {
        document = parse(query);
      } catch (error) {
        port.deliver({ kind: 'op/error', id, message: String(error) });
        return;
      }
      const isSubscription = document.definitions.some(
        (definition) =>
          definition.kind === Kind.OPERATION_DEFINITION &&
          definition.operation === OperationTypeNode.SUBSCRIPTION,
      );
      const args = { schema: backend.schema, document, variableValues: variables };
      if (!isSubscription) {
        const result = await execute(args);
        port.deliver({ kind: 'op/next', id, result: result as GraphqlResult });
        port.deliver({ kind: 'op/complete', id });
        return;
      }
      const stream = await subscribe(args);
      if (!isAsyncIterable(stream)) {
        port.deliver({ kind: 'op/next', id, result: stream as GraphqlResult });
        port.deliver({ kind: 'op/complete', id });
        return;
      }
      running.set(id, stream);
      for await (const result of stream)
        port.deliver({ kind: 'op/next', id, result: result as GraphqlResult });
      if (running.delete(id)) port.deliver({ kind: 'op/complete', id });
    }

    function handle(message: PanelToWorker) {
      switch (message.kind) {
        case 'op/start':
          void start(message.id, message.operation.query, message.operation.variables);
          return;
        case 'op/stop': {
          const iterator = running.get(message.id);
          running.delete(message.id);
          void iterator?.return?.();
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
        for (const iterator of running.values()) void iterator.return?.();
        running.clear();
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
