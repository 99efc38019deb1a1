import { act, render, screen, waitFor } from '@testing-library/react';

import { renderPanel } from '../test/renderPanel';
import { DeviceSettings } from './DeviceSettings';
import { memoryStore, modelDownloadSize } from './device';

describe('settings view', () => {
  it('reads the server’s settings, saves a change through the outbox, and shows a refusal beside its field', async () => {
    const { user, store } = renderPanel();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const confidence = await screen.findByLabelText('Lowest confidence kept (0 to 1)');
    expect(confidence).toHaveValue('0.3');

    await user.clear(confidence);
    await user.type(confidence, '5');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const error = await screen.findByText('minConfidence must be between 0 and 1.');
    expect(confidence).toHaveAttribute('aria-describedby', error.id);
    expect(confidence).toHaveAttribute('aria-invalid', 'true');

    await user.clear(confidence);
    await user.type(confidence, '0.45');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    expect(store.settings.minConfidence).toBe(0.45);
    await waitFor(() =>
      expect(screen.getByLabelText('Lowest confidence kept (0 to 1)')).toHaveValue('0.45'),
    );
  });

  it('follows a change made elsewhere', async () => {
    const { user, store } = renderPanel();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    await screen.findByLabelText('Lowest confidence kept (0 to 1)');
    store.updateSettings({ cooldownMs: 900 });
    await waitFor(() =>
      expect(screen.getByLabelText('Quiet time after a note (milliseconds)')).toHaveValue('900'),
    );
  });
});

/** The extension's storage and permissions, the boundary these settings talk to. */
function stubChrome(options: { grant: boolean[] }) {
  const local = new Map<string, unknown>();
  const listeners = new Set<(changes: Record<string, unknown>, area: string) => void>();
  const changed = (keys: string[]) => {
    const changes = Object.fromEntries(keys.map((key) => [key, { newValue: local.get(key) }]));
    for (const listener of [...listeners]) listener(changes, 'local');
  };
  const requests: string[][] = [];
  const granted = new Set<string>();
  const stub = {
    storage: {
      local: {
        get: (keys: string[]) =>
          Promise.resolve(
            Object.fromEntries(keys.filter((k) => local.has(k)).map((k) => [k, local.get(k)])),
          ),
        set: (items: Record<string, unknown>) => {
          for (const [key, value] of Object.entries(items)) local.set(key, value);
          changed(Object.keys(items));
          return Promise.resolve();
        },
        remove: (key: string) => {
          local.delete(key);
          changed([key]);
          return Promise.resolve();
        },
      },
      onChanged: {
        addListener: (listener: (changes: Record<string, unknown>, area: string) => void) =>
          listeners.add(listener),
        removeListener: (listener: (changes: Record<string, unknown>, area: string) => void) =>
          listeners.delete(listener),
      },
    },
    permissions: {
      contains: ({ origins }: { origins: string[] }) =>
        Promise.resolve(origins.every((origin) => granted.has(origin))),
      request: ({ origins }: { origins: string[] }) => {
        requests.push(origins);
        const answer = options.grant.shift() ?? false;
        if (answer) for (const origin of origins) granted.add(origin);
        return Promise.resolve(answer);
      },
    },
  };
  vi.stubGlobal('chrome', stub);
  return { local, requests, granted, set: stub.storage.local.set };
}

describe('voice settings', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('saves an endpoint, asks the browser for its origin, and says when access was refused', async () => {
    const chromeStub = stubChrome({ grant: [false, true] });
    const { user, store, worker } = renderPanel();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    await user.click(await screen.findByRole('radio', { name: 'At the configured endpoint' }));
    const endpoint = screen.getByLabelText('Endpoint address (OpenAI-compatible, up to /v1)');

    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      await screen.findByText('Enter the endpoint’s address to transcribe there.'),
    ).toBeVisible();
    await user.type(endpoint, 'ftp://192.168.1.20/v1');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/starting with http:\/\/ or https:\/\//)).toBeVisible();
    expect(endpoint).toHaveAttribute('aria-invalid', 'true');
    expect(chromeStub.requests).toEqual([]);

    await user.clear(endpoint);
    await user.type(endpoint, 'http://192.168.1.20:8000/v1');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(chromeStub.requests).toEqual([['http://192.168.1.20:8000/*']]);
    const refused = await screen.findByRole('alert');
    expect(refused).toHaveTextContent('Access to http://192.168.1.20:8000 was refused.');
    expect(refused).toHaveTextContent('unless the endpoint allows other origins (CORS headers)');
    await screen.findByText('Saved.');
    expect(store.settings).toMatchObject({
      transcriptionMode: 'ENDPOINT',
      transcriptionEndpoint: 'http://192.168.1.20:8000/v1',
    });

    await user.click(
      screen.getByRole('button', { name: 'Allow access to http://192.168.1.20:8000' }),
    );
    expect(
      await screen.findByText(
        'Access granted: Lossy may read the answers of http://192.168.1.20:8000.',
      ),
    ).toBeVisible();
    expect(chromeStub.requests).toHaveLength(2);

    // The API key stays on this computer: in local storage, in no write to the server.
    await user.type(screen.getByLabelText('API key for the endpoint'), 'sk-test-123');
    await user.click(screen.getByRole('button', { name: 'Save key' }));
    await screen.findByText('Key saved on this computer.');
    expect(chromeStub.local.get('voiceApiKey')).toBe('sk-test-123');
    expect(screen.getByLabelText('API key for the endpoint')).toHaveValue('');
    expect(JSON.stringify(worker.received)).not.toContain('sk-test-123');
    await user.click(screen.getByRole('button', { name: 'Remove key' }));
    await screen.findByText('Key removed.');
    expect(chromeStub.local.has('voiceApiKey')).toBe(false);
  });

  it('shows whether a saved endpoint may be read, and asks nothing without a save', async () => {
    const chromeStub = stubChrome({ grant: [] });
    chromeStub.granted.add('http://10.0.0.5:9000/*');
    const { user, store } = renderPanel();
    store.updateSettings({
      transcriptionMode: 'ENDPOINT',
      transcriptionEndpoint: 'http://10.0.0.5:9000/v1',
    });
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    expect(
      await screen.findByText(
        'Access granted: Lossy may read the answers of http://10.0.0.5:9000.',
      ),
    ).toBeVisible();
    const model = screen.getByLabelText('Speech model');
    await user.clear(model);
    await user.type(model, 'Systran/faster-whisper-base');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved.');
    expect(store.settings.transcriptionModel).toBe('Systran/faster-whisper-base');
    // The endpoint did not change: nothing to ask.
    expect(chromeStub.requests).toEqual([]);
  });

  it('asks for consent before the on-device model is downloaded, and follows a change made elsewhere', async () => {
    const chromeStub = stubChrome({ grant: [] });
    const { user } = renderPanel();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const group = await screen.findByRole('group', { name: 'Speech model download' });
    expect(group).toHaveTextContent(
      'Download the speech model (about 80–150 MB) from Hugging Face once; after that it works offline.',
    );
    expect(screen.queryByLabelText('API key for the endpoint')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Agree to the download' }));
    await screen.findByText('You agreed: the model is downloaded the first time it is needed.');
    expect(chromeStub.local.get('voiceModelDownloadAllowed')).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Withdraw consent' }));
    await screen.findByRole('button', { name: 'Agree to the download' });
    expect(chromeStub.local.get('voiceModelDownloadAllowed')).toBe(false);

    await act(() => chromeStub.set({ voiceModelDownloadAllowed: true }));
    await screen.findByRole('button', { name: 'Withdraw consent' });
  });
});

describe('the on-device model’s progress', () => {
  it('shows the capture’s report as a labelled progress bar', async () => {
    render(
      <DeviceSettings
        store={memoryStore()}
        mode="ON_DEVICE"
        model="whisper-tiny.en"
        modelProgress={0.42}
      />,
    );
    expect(await screen.findByText(/\(about 40–60 MB\)/)).toBeVisible();
    const bar = screen.getByRole('progressbar', {
      name: 'Downloading and loading the speech model',
    });
    expect(bar).toHaveAttribute('value', '42');
    expect(bar).toHaveAttribute('aria-valuetext', '42%');
  });

  it('names the size of the known models only', () => {
    expect(modelDownloadSize('whisper-tiny.en')).toBe('about 40–60 MB');
    expect(modelDownloadSize('base')).toBe('about 80–150 MB');
    expect(modelDownloadSize('onnx-community/whisper-large-v3-turbo')).toBeNull();
  });
});
