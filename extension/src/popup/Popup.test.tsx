import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { createFakeWorker, type Scenario } from '@/mock/fakeWorker';
import { createPanelClient } from '@/ui/client';
import { ClientContext } from '@/ui/useClient';

import { Popup } from './Popup';

function renderPopup(scenario: Scenario = 'signed-in') {
  const worker = createFakeWorker({ scenario });
  const openSidePanel = vi.fn();
  render(
    <ClientContext value={createPanelClient(worker.connect)}>
      <Popup openSidePanel={openSidePanel} />
    </ClientContext>,
  );
  return { worker, openSidePanel, user: userEvent.setup() };
}

describe('popup', () => {
  it('changes the server to a valid origin only', async () => {
    const { worker, user } = renderPopup();
    const server = await screen.findByLabelText('Server');
    await user.clear(server);
    await user.type(server, 'lossy.example.com');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Enter a full address');

    await user.clear(server);
    await user.type(server, 'https://Lossy.example.com/');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(worker.received).toContainEqual({
        kind: 'server/set',
        server: 'https://lossy.example.com',
      }),
    );
  });

  it('shows the sign-in and connection states and opens the side panel', async () => {
    const { user, openSidePanel } = renderPopup();
    expect(await screen.findByText('Signed in as reviewer@example.com.')).toBeInTheDocument();
    expect(screen.getByText('Connected')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Open the side panel' }));
    expect(openSidePanel).toHaveBeenCalledOnce();
  });

  it('offers to sign in when signed out', async () => {
    const { user, worker } = renderPopup('signed-out');
    await user.click(await screen.findByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(worker.received).toContainEqual({ kind: 'sign-in' }));
  });
});
