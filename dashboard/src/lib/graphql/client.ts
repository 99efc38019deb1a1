import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange } from 'urql';
import { createClient as createSocket, type Client as SocketClient } from 'graphql-ws';

import { backoffMs, ConnectionStore } from './connection';

/** Closed by the server because the credentials were refused (PROTOCOL.md section 3). */
const CLOSE_FORBIDDEN = 4403;

export interface LossyClient {
  urql: Client;
  socket: SocketClient;
  connection: ConnectionStore;
}

export interface ClientOptions {
  /** Called once per operation refused with `UNAUTHENTICATED`, or a socket closed with 4403. */
  onSignedOut: () => void;
  /** Origin of the server; the page's own by default. */
  origin?: string;
}

/**
 * One urql client for the app: queries and mutations over HTTP with the session cookie
 * (same origin, JSON: the server's CSRF rule holds), subscriptions over one graphql-ws socket
 * that the cookie authenticates. The socket reconnects forever with capped, jittered backoff
 * and reports its state to `connection` for the banner.
 */
export function createLossyClient({ onSignedOut, origin }: ClientOptions): LossyClient {
  const base = origin ?? window.location.origin;
  const connection = new ConnectionStore();
  let attempt = 0;
  // Once the server refused the session, retrying cannot help: a new client is made after the
  // next sign-in.
  let signedOut = false;
  const socket = createSocket({
    url: base.replace(/^http/, 'ws') + '/graphql',
    lazy: true,
    // Keep the socket while the app is open: reconnects resubscribe every live stream.
    lazyCloseTimeout: 10_000,
    connectionParams: {
      requestedVersion: 2,
      client: { name: 'lossy-dashboard', version: '0.1.0' },
    },
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => !signedOut,
    retryWait: async (retries) => {
      const wait = backoffMs(retries);
      connection.set({ kind: 'reconnecting', attempt: retries + 1, retryAt: Date.now() + wait });
      await new Promise((resolve) => setTimeout(resolve, wait));
    },
    on: {
      connecting: () => {
        if (connection.get().kind !== 'reconnecting') connection.set({ kind: 'connecting' });
      },
      connected: () => {
        attempt = 0;
        connection.set({ kind: 'connected' });
      },
      closed: (event) => {
        const code = (event as CloseEvent | undefined)?.code;
        if (code === CLOSE_FORBIDDEN) {
          signedOut = true;
          connection.set({ kind: 'signed-out' });
          onSignedOut();
          return;
        }
        attempt += 1;
        if (connection.get().kind === 'connected') {
          connection.set({ kind: 'reconnecting', attempt, retryAt: Date.now() });
        }
      },
    },
  });

  const urql = new Client({
    url: base + '/graphql',
    fetchOptions: { credentials: 'same-origin', headers: { accept: 'application/json' } },
    requestPolicy: 'cache-and-network',
    // POST only: the server answers queries on `POST /graphql` (GET is the WebSocket upgrade)
    // and its CSRF rule wants a JSON body. urql 5 would send short queries as GET.
    preferGetMethod: false,
    exchanges: [
      mapExchange({
        onError(error) {
          if (error.graphQLErrors.some((e) => e.extensions.code === 'UNAUTHENTICATED')) {
            onSignedOut();
          }
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const dispose = socket.subscribe(input, sink);
              return { unsubscribe: dispose };
            },
          };
        },
      }),
    ],
  });

  return { urql, socket, connection };
}
