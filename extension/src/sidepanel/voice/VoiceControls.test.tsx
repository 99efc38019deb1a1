import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { PanelToWorker, VoiceView } from '@/shared/messages';
import type { PanelClient } from '@/ui/client';

import { MOCK_VIDEO } from '@/mock/fakeWorker';

import { renderPanel } from '../test/renderPanel';
import { VoiceControls } from './VoiceControls';

const VOICE: VoiceView = {
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

/** The parts of the client the controls use, recording what they send. */
function stubClient() {
  const sent: PanelToWorker[] = [];
  const levels = new Set<(level: number) => void>();
  const client = {
    send: (message: PanelToWorker) => sent.push(message),
    onVoiceLevel: (listener: (level: number) => void) => {
      levels.add(listener);
      return () => levels.delete(listener);
    },
  } as unknown as PanelClient;
  return { client, sent, level: (value: number) => levels.forEach((l) => l(value)) };
}

describe('voice controls', () => {
  it('turns voice on and off with one pressed button, and says the state in words', async () => {
    const { client, sent } = stubClient();
    const user = userEvent.setup();
    const view = render(<VoiceControls voice={VOICE} client={client} readOnly={false} />);
    const toggle = screen.getByRole('button', { name: 'Voice' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    expect(screen.getByRole('status')).toHaveTextContent('Voice off');
    await user.click(toggle);
    expect(sent).toEqual([{ kind: 'voice/set', on: true }]);

    view.rerender(
      <VoiceControls
        voice={{ ...VOICE, on: true, state: 'recording', capture: 'running', tabId: 3 }}
        client={client}
        readOnly={false}
      />,
    );
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('status')).toHaveTextContent('Recording');
    await user.click(toggle);
    expect(sent.at(-1)).toEqual({ kind: 'voice/set', on: false });
  });

  it('shows the microphone’s level on a meter while capture runs', () => {
    const { client, level } = stubClient();
    render(
      <VoiceControls
        voice={{ ...VOICE, on: true, state: 'observing', capture: 'running' }}
        client={client}
        readOnly={false}
      />,
    );
    const meter = screen.getByRole('meter', { name: 'Microphone level' });
    expect(meter).toHaveAttribute('aria-valuenow', '0');
    act(() => level(0.42));
    expect(meter).toHaveAttribute('aria-valuenow', '42');
  });

  it('sends a refused microphone to the microphone page', () => {
    const { client } = stubClient();
    render(
      <VoiceControls
        voice={{ ...VOICE, on: true, state: 'error', capture: 'mic-denied' }}
        client={client}
        readOnly={false}
      />,
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Lossy may not use the microphone yet.');
    // No extension in the test: the link needs chrome.runtime.getURL, so it is left out
    // rather than pointing nowhere.
    expect(within(alert).queryByRole('link')).toBeNull();
  });

  it('lists the utterances on their way, and retries a failed one', async () => {
    const { client, sent } = stubClient();
    const user = userEvent.setup();
    render(
      <VoiceControls
        voice={{
          ...VOICE,
          on: true,
          state: 'observing',
          capture: 'running',
          queued: 2,
          utterances: [
            { utteranceId: 'a', mediaTime: 65, status: 'transcribing', message: null },
            { utteranceId: 'b', mediaTime: 70.5, status: 'failed', message: 'timed out' },
          ],
        }}
        client={client}
        readOnly={false}
      />,
    );
    const queue = screen.getByRole('list', { name: 'Utterances on their way to notes' });
    const items = within(queue).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('1:05Transcribing');
    expect(items[1]).toHaveTextContent('1:10Failedtimed out');
    expect(screen.getByText('2 utterances waiting to be transcribed.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Try the utterance at 1:10 again' }));
    expect(sent).toEqual([{ kind: 'voice/retry', utteranceId: 'b' }]);
  });

  it('offers to listen again after the server stopped listening', async () => {
    const { client, sent } = stubClient();
    const user = userEvent.setup();
    render(
      <VoiceControls
        voice={{
          ...VOICE,
          on: true,
          state: 'idle',
          notice: 'Stopped listening after a while without speech.',
        }}
        client={client}
        readOnly={false}
      />,
    );
    expect(screen.getByRole('status')).toHaveTextContent('Paused: no speech for a while');
    await user.click(screen.getByRole('button', { name: 'Listen again' }));
    expect(sent).toEqual([{ kind: 'voice/set', on: true }]);
  });
});

describe('voice in the side panel', () => {
  it('sits above the notes of a video, and asks the worker to turn voice on', async () => {
    const { worker, user } = renderPanel();
    await screen.findByRole('heading', { level: 1, name: MOCK_VIDEO.title });
    expect(screen.queryByRole('region', { name: 'Voice' })).toBeNull();
    act(() => worker.setState({ voice: VOICE }));
    const voice = await screen.findByRole('region', { name: 'Voice' });
    await user.click(within(voice).getByRole('button', { name: 'Voice' }));
    await waitFor(() => expect(worker.received).toContainEqual({ kind: 'voice/set', on: true }));
  });
});
