// The popup's entry: the real port, and the side panel opened from the click itself
// (`chrome.sidePanel.open` needs the user's gesture, so the window id is read beforehand).

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { chromePort } from '@/ui/chromePort';
import { createPanelClient } from '@/ui/client';
import { ClientContext } from '@/ui/useClient';
import '@/ui/styles.css';

import { Popup } from './Popup';

let windowId: number | undefined;
void chrome.windows.getCurrent().then((window) => {
  windowId = window.id;
});

function openSidePanel() {
  if (windowId === undefined) return;
  void chrome.sidePanel.open({ windowId }).then(() => window.close());
}

const root = document.getElementById('root');
if (root) {
  const client = createPanelClient(chromePort);
  createRoot(root).render(
    <StrictMode>
      <ClientContext value={client}>
        <Popup openSidePanel={openSidePanel} />
      </ClientContext>
    </StrictMode>,
  );
}
