// The one GraphQL socket (graphql-ws). It keeps every operation the worker or a panel runs,
// so a subscription outlives reconnects (graphql-ws resubscribes on a retry) and even a new
// client (after a close code graphql-ws treats as final, e.g. 4429, or a sign-out and back).
//
// graphql-ws resubscribes with the payload an operation started with. A stream that resumes
// where it left off (`noteEvents` with `since`, PROTOCOL.md section 6.1) must be sent as it
// stands at that moment instead: its payload is a function, read each time it is sent, and
// such an operation is sent anew the instant a new connection is acknowledged, before
// graphql-ws would resend the old payload.

import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';

import type { GraphqlOperation, GraphqlResult } from '@/shared/messages';

import { backoffDelay } from './backoff';
import { connectionView, needsFreshToken, OFFLINE_AFTER_MS, type SocketFacts } from './connection';

export interface SocketHooks {
  /** A token for `connection_init`; `fresh` after a 4403. Null while signed out. */
  token(fresh: boolean): Promise<string | null>;
  /** The `connection_ack` payload, at each (re)connection. */
  connected(handshake: unknown, wasRetry: boolean): void;
  /** The socket went down (close code when known). */
  closed(code: number | undefined): void;
  /** The panels' view of the connection may have changed. */
  changed(): void;
}

export interface OperationSink {
  next(result: GraphqlResult): void;
  /** `errors`: the GraphQL errors of an `error` message (the server refused the operation
   * before it ran or without data), with their codes. */
  error(message: string, errors?: NonNullable<GraphqlResult['errors']>): void;
  complete(): void;
  /** A subscription with a payload function was sent again on a new connection, as `payload`
   * (whatever happened while the socket was down reaches it only if that payload says from
   * where). */
  resent?(payload: GraphqlOperation): void;
}

/** What an operation sends: fixed, or read each time it is sent (a stream that resumes). */
export type OperationPayload = GraphqlOperation | (() => GraphqlOperation);

/** A one-shot operation whose socket closed before the answer: its outcome is unknown. */
export class SocketLost extends Error {
  constructor() {
    super('the connection was lost before the server answered');
  }
}

interface Operation {
  payload: OperationPayload;
  sink: OperationSink;
  subscription: boolean;
  unsubscribe: (() => void) | null;
  /** Its current attachment to a client: results of an earlier one are dropped. */
  attachment: object | null;
  /** It was attached while a connection was acknowledged: the server has heard it, so a
   * later connection sends it again. */
  heard: boolean;
}

function payloadOf(op: Operation): GraphqlOperation {
  return typeof op.payload === 'function' ? op.payload() : op.payload;
}

/** A ping this long after the last pong (graphql-ws's `keepAlive`). Chrome also keeps a
 * service worker alive while its socket has traffic (Chrome 116+). */
export const KEEP_ALIVE_MS = 10_000;
/**
 * A ping unanswered this long means the server is gone although the socket looks open (a
 * hung process, a dropped network path): nothing else would ever close such a socket, so it
 * is terminated and a new one made.
 */
export const PONG_TIMEOUT_MS = 5_000;

function closeCode(event: unknown): number | undefined {
  const code = (event as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The GraphQL errors graphql-ws hands over for an `error` message (an array), if it is one. */
function graphqlErrors(error: unknown): NonNullable<GraphqlResult['errors']> | undefined {
  if (!Array.isArray(error) || error.length === 0) return undefined;
  const errors: NonNullable<GraphqlResult['errors']> = [];
  for (const item of error as unknown[]) {
    const message = (item as { message?: unknown } | null)?.message;
    if (typeof message !== 'string') return undefined;
    const extensions = (item as { extensions?: unknown }).extensions;
    errors.push(
      extensions && typeof extensions === 'object'
        ? { message, extensions: extensions as Record<string, unknown> }
        : { message },
    );
  }
  return errors;
}

function describe(error: unknown): string {
  if (Array.isArray(error)) {
    return error.map((e) => (e as { message?: string }).message ?? String(e)).join('; ');
  }
  if (error instanceof Error) return error.message;
  const code = closeCode(error);
  if (code !== undefined) return `the connection closed (${code})`;
  return String(error);
}

function isSubscription(query: string): boolean {
  return /^\s*subscription\b/.test(query.replace(/^\s*(#[^\n]*\n\s*)*/, ''));
}

export class Socket {
  private client: Client | null = null;
  private url: string | null = null;
  private generation = 0;
  private restartAttempt = 0;
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private offlineTimer: ReturnType<typeof setTimeout> | null = null;
  private freshToken = false;
  /** When the ping that went unanswered was sent: the server has been away since then. */
  private silentSince: number | null = null;
  private readonly operations = new Set<Operation>();
  private readonly closedListeners = new Set<() => void>();
  private facts: SocketFacts = { connected: false, downSince: Date.now(), wasConnected: false };
  /** The version the worker reports in `connection_init`. */
  version = '0.0.0';

  constructor(private readonly hooks: SocketHooks) {}

  get connection() {
    return connectionView(this.facts, Date.now());
  }

  get connected(): boolean {
    return this.facts.connected;
  }

  /** Connects to `url` (again, when it changed) and keeps connecting until `stop`. */
  start(url: string): void {
    if (this.client && this.url === url) return;
    this.stop();
    this.url = url;
    this.open();
  }

  /** Closes the socket; operations are kept and attached again by the next `start`. */
  stop(): void {
    this.url = null;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    this.detach();
    this.down();
  }

  private open(): void {
    const url = this.url;
    if (!url) return;
    const generation = ++this.generation;
    let pongTimer: ReturnType<typeof setTimeout> | null = null;
    const pongArrived = () => {
      if (pongTimer) clearTimeout(pongTimer);
      pongTimer = null;
    };
    const client: Client = createClient({
      url,
      lazy: false,
      keepAlive: KEEP_ALIVE_MS,
      retryAttempts: Infinity,
      shouldRetry: () => generation === this.generation,
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, backoffDelay(retries))),
      connectionParams: async () => {
        const fresh = this.freshToken;
        this.freshToken = false;
        const token = await this.hooks.token(fresh);
        // Throwing closes this client for good (4005); `start` makes a new one on sign-in.
        if (!token) throw new Error('signed out');
        return {
          token,
          requestedVersion: 2,
          client: { name: 'lossy-extension', version: this.version },
        };
      },
      on: {
        ping: (received) => {
          if (received) return;
          const sentAt = Date.now();
          pongArrived();
          pongTimer = setTimeout(() => {
            pongTimer = null;
            if (generation !== this.generation) return;
            this.silentSince = sentAt;
            // Emits `closed` (4499) at once, without the closing handshake a silent server
            // would never answer; graphql-ws retries after that code.
            client.terminate();
          }, PONG_TIMEOUT_MS);
        },
        pong: (received) => {
          if (received) pongArrived();
        },
        connected: (_socket, payload, wasRetry) => {
          if (generation !== this.generation) return;
          this.restartAttempt = 0;
          this.facts = { connected: true, downSince: null, wasConnected: true };
          // Synchronously, before graphql-ws resends what it holds: its copy would be the
          // payload the stream started with.
          for (const op of [...this.operations]) {
            if (op.attachment === null) continue;
            if (op.heard && op.subscription && typeof op.payload === 'function') {
              this.attach(op, true);
            }
            op.heard = true;
          }
          if (this.offlineTimer) clearTimeout(this.offlineTimer);
          this.hooks.changed();
          this.hooks.connected(payload, wasRetry);
        },
        closed: (event) => {
          pongArrived();
          if (generation !== this.generation) return;
          const code = closeCode(event);
          if (needsFreshToken(code)) this.freshToken = true;
          for (const listener of [...this.closedListeners]) listener();
          this.down(this.silentSince ?? Date.now());
          this.silentSince = null;
          this.hooks.closed(code);
        },
      },
      onNonLazyError: () => {
        // A close graphql-ws will not retry (4400, 4429, 4500, a thrown connectionParams):
        // a new client after a backoff, as long as we are started.
        if (generation !== this.generation || !this.url) return;
        this.detach();
        const delay = backoffDelay(this.restartAttempt++);
        this.restartTimer = setTimeout(() => {
          this.restartTimer = null;
          this.open();
        }, delay);
      },
    });
    this.client = client;
    for (const op of this.operations) this.attach(op);
  }

  /** Drops the current client; subscriptions wait for the next one. */
  private detach(): void {
    const client = this.client;
    this.client = null;
    this.generation += 1;
    for (const op of this.operations) {
      op.unsubscribe = null;
      op.attachment = null;
      // A query or mutation cannot follow us to another client: its caller decides.
      if (!op.subscription) {
        this.operations.delete(op);
        op.sink.error(new SocketLost().message);
      }
    }
    if (client) void client.dispose();
  }

  /** The socket is down, and the server away since `since`. */
  private down(since = Date.now()): void {
    if (this.facts.connected || this.facts.downSince === null) {
      this.facts = { ...this.facts, connected: false, downSince: since };
    }
    if (this.offlineTimer) clearTimeout(this.offlineTimer);
    // The view turns `offline` by the clock alone: tell the panels when it does.
    const offlineIn = (this.facts.downSince ?? since) + OFFLINE_AFTER_MS - Date.now();
    this.offlineTimer = setTimeout(() => this.hooks.changed(), Math.max(0, offlineIn) + 50);
    this.hooks.changed();
  }

  /** Sends `op` on the current client (`again`: in place of its earlier attachment). */
  private attach(op: Operation, again = false): void {
    const client = this.client;
    if (!client) return;
    // graphql-ws sends nothing for a subscription disposed before its connection is up.
    op.unsubscribe?.();
    const attachment = {};
    op.attachment = attachment;
    if (this.facts.connected) op.heard = true;
    const current = () => op.attachment === attachment && this.operations.has(op);
    const payload = payloadOf(op);
    if (again) op.sink.resent?.(payload);
    op.unsubscribe = client.subscribe(payload, {
      next: (result: FormattedExecutionResult) => {
        if (current()) op.sink.next(result as GraphqlResult);
      },
      error: (error) => {
        if (!current()) return;
        this.operations.delete(op);
        op.sink.error(describe(error), graphqlErrors(error));
      },
      complete: () => {
        if (!current()) return;
        this.operations.delete(op);
        op.sink.complete();
      },
    });
  }

  /**
   * Runs a query, mutation or subscription; returns its stop. Subscriptions survive
   * reconnects; a query or mutation cut by a reconnect is re-sent by graphql-ws. A payload
   * function is read each time the operation is sent (see the file's comment).
   */
  subscribe(payload: OperationPayload, sink: OperationSink): () => void {
    const op: Operation = {
      payload,
      sink,
      subscription: false,
      unsubscribe: null,
      attachment: null,
      heard: false,
    };
    op.subscription = isSubscription(payloadOf(op).query);
    this.operations.add(op);
    this.attach(op);
    return () => {
      if (!this.operations.delete(op)) return;
      op.unsubscribe?.();
    };
  }

  /** One query or mutation, waiting for a connection and re-sent by graphql-ws after a
   * reconnect: for operations that may run twice (reads, detectVideo, claims). */
  request(payload: GraphqlOperation): Promise<GraphqlResult> {
    return new Promise((resolve, reject) => {
      let result: GraphqlResult = { data: null };
      this.subscribe(payload, {
        next: (value) => {
          result = value;
        },
        error: (message) => reject(new Error(message)),
        complete: () => resolve(result),
      });
    });
  }

  /**
   * One query or mutation that is never re-sent on its own: when the socket closes before
   * the answer, it rejects with `SocketLost` and the caller (the outbox) decides.
   */
  execute(payload: GraphqlOperation): Promise<GraphqlResult> {
    return new Promise((resolve, reject) => {
      let result: GraphqlResult | null = null;
      const settle = () => {
        this.closedListeners.delete(onClosed);
        stop();
      };
      const onClosed = () => {
        settle();
        reject(new SocketLost());
      };
      this.closedListeners.add(onClosed);
      const stop = this.subscribe(payload, {
        next: (value) => {
          result = value;
        },
        error: (message, errors) => {
          settle();
          // The server answered, with errors (a refusal such as BAD_USER_INPUT arrives as an
          // `error` message when the mutation has no data): the caller reads their codes.
          if (errors) resolve({ data: null, errors });
          else reject(message === new SocketLost().message ? new SocketLost() : new Error(message));
        },
        complete: () => {
          settle();
          resolve(result ?? { data: null });
        },
      });
    });
  }
}
