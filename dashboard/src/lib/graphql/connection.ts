// The state of the app's one WebSocket, as the connection banner shows it. A small store read
// with `useSyncExternalStore`, written by the graphql-ws client's events.

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  /** The socket dropped; `attempt` counts retries since it was last connected. */
  | { kind: 'reconnecting'; attempt: number; retryAt: number }
  /** The server refused the credentials (4403): the web session has ended. */
  | { kind: 'signed-out' };

type Listener = () => void;

export class ConnectionStore {
  private state: ConnectionState = { kind: 'connecting' };
  private readonly listeners = new Set<Listener>();

  readonly get = (): ConnectionState => this.state;

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(next: ConnectionState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}

/** Capped exponential backoff with full jitter: 0.5 s, 1 s, 2 s … up to 30 s. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(30_000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
