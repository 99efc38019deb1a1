// The side panel's entry: one client over the real port to the service worker.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { chromePort } from '@/ui/chromePort';
import { createPanelClient } from '@/ui/client';
import { ClientContext } from '@/ui/useClient';
import '@/ui/styles.css';

import { App } from './App';

const root = document.getElementById('root');
if (root) {
  const client = createPanelClient(chromePort);
  createRoot(root).render(
    <StrictMode>
      <ClientContext value={client}>
        <App />
      </ClientContext>
    </StrictMode>,
  );
}
