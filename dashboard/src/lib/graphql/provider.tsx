import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { Provider } from 'urql';

import { createLossyClient, type LossyClient } from './client';
import type { ConnectionState } from './connection';

interface ClientControl {
  client: LossyClient;
  /** Drops the cache and the socket and starts afresh (after a sign-in or sign-out). */
  renew: () => void;
}

const ClientControlContext = createContext<ClientControl | null>(null);

function useClientControl(): ClientControl {
  const control = useContext(ClientControlContext);
  if (!control) throw new Error('LossyClientProvider is missing');
  return control;
}

/** Owns the app's GraphQL client; `onSignedOut` hears every refused credential. */
export function LossyClientProvider({
  onSignedOut,
  children,
}: {
  onSignedOut: () => void;
  children: ReactNode;
}) {
  // `onSignedOut` is expected to be stable (a `useCallback` with no dependencies).
  const [client, setClient] = useState(() => createLossyClient({ onSignedOut }));
  useEffect(() => () => void client.socket.dispose(), [client]);
  const renew = useCallback(() => {
    setClient(createLossyClient({ onSignedOut }));
  }, [onSignedOut]);
  const control = useMemo(() => ({ client, renew }), [client, renew]);
  return (
    <ClientControlContext.Provider value={control}>
      <Provider value={client.urql}>{children}</Provider>
    </ClientControlContext.Provider>
  );
}

export function useRenewClient(): () => void {
  return useClientControl().renew;
}

/** The socket's state, for the connection banner. */
export function useConnection(): ConnectionState {
  const { connection } = useClientControl().client;
  return useSyncExternalStore(connection.subscribe, connection.get);
}

/**
 * Calls `onConnected` each time the socket is (re)connected. A live stream misses what happened
 * while it was down (and before it first started), so a view that follows one without replay,
 * like `settingsChanged`, reloads its data then. Does nothing outside `LossyClientProvider`
 * (component tests with a bare urql client).
 */
export function useOnConnected(onConnected: () => void): void {
  const connection = useContext(ClientControlContext)?.client.connection;
  const callback = useRef(onConnected);
  useEffect(() => {
    callback.current = onConnected;
  }, [onConnected]);
  useEffect(() => {
    if (!connection) return;
    let previous = connection.get().kind;
    return connection.subscribe(() => {
      const kind = connection.get().kind;
      if (kind === 'connected' && previous !== 'connected') callback.current();
      previous = kind;
    });
  }, [connection]);
}
