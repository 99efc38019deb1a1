// React access to the panel client: one client per page, given by the entry file (the real
// port, or the mock mode's fake worker), read through a context.

import { createContext, useContext, useSyncExternalStore } from 'react';

import type { ClientSnapshot, PanelClient } from './client';

export const ClientContext = createContext<PanelClient | null>(null);

export function useClient(): PanelClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient needs a ClientContext provider');
  return client;
}

/** The worker's state and the port's, re-rendering on every change. */
export function useSnapshot(): ClientSnapshot {
  const client = useClient();
  return useSyncExternalStore(client.onSnapshot, client.getSnapshot);
}
