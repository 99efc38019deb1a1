// Mounts an extension page (side panel, popup) with one client over the real port to the
// service worker, for the page's own browser window.

import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';

import { chromePort, currentWindowId } from './chromePort';
import { createPanelClient } from './client';
import { ClientContext } from './useClient';
import './styles.css';

export function mountPage(page: ReactNode): void {
  const root = document.getElementById('root');
  if (!root) return;
  // The window is known before the port opens, so the first state is already this window's.
  void currentWindowId().then((windowId) => {
    const client = createPanelClient(() => chromePort(windowId));
    createRoot(root).render(
      <StrictMode>
        <ClientContext value={client}>{page}</ClientContext>
      </StrictMode>,
    );
  });
}
