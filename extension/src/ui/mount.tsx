// Mounts an extension page (side panel, popup) with one client over the real port to the
// service worker.

import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';

import { chromePort } from './chromePort';
import { createPanelClient } from './client';
import { ClientContext } from './useClient';
import './styles.css';

export function mountPage(page: ReactNode): void {
  const root = document.getElementById('root');
  if (!root) return;
  const client = createPanelClient(chromePort);
  createRoot(root).render(
    <StrictMode>
      <ClientContext value={client}>{page}</ClientContext>
    </StrictMode>,
  );
}
