// Renders the side panel against the fake worker, as the mock mode does, for component tests.

import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { createFakeWorker, MOCK_VIDEO, type FakeWorkerOptions } from '@/mock/fakeWorker';
import { createPanelClient } from '@/ui/client';
import { ClientContext } from '@/ui/useClient';

import { App } from '../App';

export function renderPanel(options: FakeWorkerOptions = {}) {
  const worker = createFakeWorker({ playhead: () => 12.5, ...options });
  const store = worker.backend.store;
  const client = createPanelClient(worker.connect, { reconnectDelayMs: 10 });
  const user = userEvent.setup();
  const view = render(
    <ClientContext value={client}>
      <App />
    </ClientContext>,
  );
  const note = (
    text: string,
    timestampSeconds: number,
    extra: Partial<Parameters<typeof store.createNote>[0]> = {},
  ) =>
    store.createNote({ videoId: MOCK_VIDEO.id, text, timestampSeconds, status: 'GHOST', ...extra });
  return { worker, store, client, user, view, note };
}
