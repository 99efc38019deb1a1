import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { createFakeWorker, type Scenario } from '@/mock/fakeWorker';
import { createPanelClient } from '@/ui/client';
import { ClientContext } from '@/ui/useClient';
import type { VoiceView } from '@/shared/messages';

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

  it('tells whether voice is on, its state in words, and what is wrong', async () => {
    const { worker } = renderPopup();
    const voice: VoiceView = {
      on: false,
      protocol: 2,
      tabId: null,
      state: 'off',
      capture: 'off',
      captureMessage: null,
      pushToTalk: false,
      queued: 0,
      modelProgress: null,
      utterances: [],
      notice: null,
    };
    const region = async () => screen.findByRole('region', { name: 'Voice' });
    act(() => worker.setState({ voice }));
    expect(await region()).toHaveTextContent('Voice off');

    act(() =>
      worker.setState({
        voice: { ...voice, on: true, state: 'recording', capture: 'running', tabId: 3 },
      }),
    );
    await waitFor(async () => expect(await region()).toHaveTextContent('Voice on: Recording'));

    act(() =>
      worker.setState({
        connection: 'reconnecting',
        voice: { ...voice, on: true, state: 'disconnected', capture: 'running', tabId: 3 },
      }),
    );
    await waitFor(async () =>
      expect(await region()).toHaveTextContent('Voice on: Offline: still listening'),
    );
    expect(await region()).toHaveTextContent('still heard and kept');

    act(() =>
      worker.setState({
        connection: 'connected',
        voice: {
          ...voice,
          on: true,
          state: 'error',
          capture: 'mic-denied',
          captureMessage: 'Permission denied',
          tabId: 3,
        },
      }),
    );
    await waitFor(async () => expect(await region()).toHaveTextContent('Voice on: Error'));
    expect(await region()).toHaveTextContent('Lossy may not use the microphone yet');
  });
});
