// The side panel's voice settings against the real server and the real worker: what the
// server keeps (the transcription mode, endpoint and model, followed by every device) and what
// only this computer keeps (the endpoint's API key, the consent to download the on-device
// model, in the extension's local storage, never sent to the server), the browser's host
// access asked for the endpoint's origin when it is saved, and the on-device model's progress
// as the capture reports it. Capture is the development build's scripted one
// (`voiceTestCapture`): it opens no microphone and keeps the config it was given last, so the
// test sees a change reach a running capture.

import { expect, test, type Page } from '@playwright/test';

import { expectAccessible } from '../rig/fixtures';
import { connectExtension, openVideoAndPanel, startReview, type Review } from '../rig/review';

/** The few `chrome.*` calls evaluated in the extension (the rig has no Chrome types). */
declare const chrome: {
  runtime: { sendMessage(message: unknown): Promise<unknown> };
  storage: {
    local: {
      get(keys: string[]): Promise<Record<string, unknown>>;
      set(items: Record<string, unknown>): Promise<void>;
    };
    session: { get(keys: string[]): Promise<Record<string, unknown>> };
  };
  permissions: { contains(permissions: { origins: string[] }): Promise<boolean> };
};

const ENDPOINT = 'http://192.168.1.20:8000/v1';
const ORIGIN = 'http://192.168.1.20:8000';
const API_KEY = 'sk-lossy-e2e-4f1c9a';

let review: Review;

test.beforeEach(async () => {
  review = await startReview();
  await connectExtension(review);
  await review.browser.worker.evaluate(() => chrome.storage.local.set({ voiceTestCapture: true }));
});

test.afterEach(async () => {
  await review.close();
});

interface CaptureConfig {
  transcription: {
    mode: string;
    endpoint: string | null;
    model: string;
    apiKey: string | null;
    downloadAllowed: boolean;
  };
}

/** What the scripted capture was given last, and the commands it got. */
async function scripted(): Promise<{ config: CaptureConfig | null; log: string[] }> {
  const stored = await review.browser.worker.evaluate(() =>
    chrome.storage.session.get(['voiceTestCaptureConfig', 'voiceTestCaptureLog']),
  );
  return {
    config: (stored.voiceTestCaptureConfig as CaptureConfig | undefined) ?? null,
    log: (stored.voiceTestCaptureLog as string[] | undefined) ?? [],
  };
}

async function deviceValues(): Promise<Record<string, unknown>> {
  return review.browser.worker.evaluate(() =>
    chrome.storage.local.get(['voiceApiKey', 'voiceModelDownloadAllowed']),
  );
}

async function serverSettings(): Promise<Record<string, unknown>> {
  const { settings } = await review.session.graphql<{ settings: Record<string, unknown> }>(
    '{ settings { transcriptionMode transcriptionEndpoint transcriptionModel clientPreferences } }',
  );
  return settings;
}

async function turnVoiceOn(panel: Page): Promise<void> {
  await panel.getByRole('button', { name: 'Notes' }).click();
  const voice = panel.getByRole('region', { name: 'Voice' });
  await voice.getByRole('button', { name: 'Voice' }).click();
  await expect(voice.getByRole('status')).toHaveText('Listening', { timeout: 15_000 });
}

test('an endpoint with its key: the origin is granted, the key stays here and reaches the running capture', async () => {
  const { panel } = await openVideoAndPanel(review);
  await turnVoiceOn(panel);
  await expect.poll(async () => (await scripted()).config?.transcription.mode).toBe('ON_DEVICE');

  await panel.getByRole('button', { name: 'Settings' }).click();
  const settings = panel.getByRole('form', { name: 'Settings' });
  await settings.getByRole('radio', { name: 'At the configured endpoint' }).check();
  const endpoint = settings.getByLabel('Endpoint address (OpenAI-compatible, up to /v1)');
  await endpoint.fill('192.168.1.20:8000/v1');
  // From the keyboard: Enter in the field saves (and is the gesture the permission needs).
  await endpoint.press('Enter');
  await expect(settings.getByRole('alert')).toContainText('starting with http:// or https://');
  await endpoint.fill(ENDPOINT);
  await endpoint.press('Enter');
  await expect(settings.getByText('Saved.')).toBeVisible({ timeout: 10_000 });
  await expect(
    settings.getByText(`Access granted: Lossy may read the answers of ${ORIGIN}.`),
  ).toBeVisible();
  expect(
    await review.browser.worker.evaluate(
      (origin) => chrome.permissions.contains({ origins: [`${origin}/*`] }),
      ORIGIN,
    ),
  ).toBe(true);
  expect(await serverSettings()).toMatchObject({
    transcriptionMode: 'ENDPOINT',
    transcriptionEndpoint: ENDPOINT,
  });
  // The server's change reaches the running capture (`settingsChanged`).
  await expect
    .poll(async () => (await scripted()).config?.transcription)
    .toMatchObject({ mode: 'ENDPOINT', endpoint: ENDPOINT, apiKey: null });
  await expectAccessible(panel);

  const device = panel.getByRole('region', { name: 'On this computer only' });
  await device.getByLabel('API key for the endpoint').fill(API_KEY);
  await device.getByRole('button', { name: 'Save key' }).click();
  await expect(device.getByText('Key saved on this computer.')).toBeVisible();
  await expect(device.getByLabel('API key for the endpoint')).toHaveValue('');
  expect((await deviceValues()).voiceApiKey).toBe(API_KEY);
  // The worker follows the change and gives the running capture the key at once.
  await expect
    .poll(async () => (await scripted()).config?.transcription.apiKey)
    .toBe(API_KEY);
  expect((await scripted()).log).toContain('config');
  // Nothing of it went to the Lossy server.
  expect(JSON.stringify(await serverSettings())).not.toContain(API_KEY);

  // The popup tells the voice loop's state too.
  const popup = await review.browser.context.newPage();
  await popup.goto(`chrome-extension://${review.browser.extensionId}/popup.html`);
  await expect(popup.getByRole('region', { name: 'Voice' })).toHaveText('Voice on: Listening');
  await expectAccessible(popup);
  await popup.close();

  await device.getByRole('button', { name: 'Remove key' }).click();
  await expect(device.getByText('Key removed.')).toBeVisible();
  await expect.poll(async () => (await scripted()).config?.transcription.apiKey).toBeNull();
  expect(await deviceValues()).not.toHaveProperty('voiceApiKey');
});

test('on the device: the download needs the reviewer’s consent, and the model’s progress shows', async () => {
  const { panel } = await openVideoAndPanel(review);
  await turnVoiceOn(panel);
  await panel.getByRole('button', { name: 'Settings' }).click();
  const device = panel.getByRole('region', { name: 'On this computer only' });
  const consent = device.getByRole('group', { name: 'Speech model download' });
  await expect(consent).toContainText(
    'Download the speech model (about 80–150 MB) from Hugging Face once; after that it works offline.',
  );
  await expect(consent.getByRole('status')).toContainText('Not agreed');
  await expectAccessible(panel);

  await consent.getByRole('button', { name: 'Agree to the download' }).click();
  await expect(consent.getByRole('status')).toContainText('You agreed');
  expect((await deviceValues()).voiceModelDownloadAllowed).toBe(true);
  await expect
    .poll(async () => (await scripted()).config?.transcription.downloadAllowed)
    .toBe(true);

  // The capture reports the model's download (as the offscreen document does); the worker
  // passes it on in the panels' state.
  const report = (modelProgress: number | null) =>
    panel.evaluate(
      (progress) =>
        chrome.runtime.sendMessage({
          target: 'worker',
          kind: 'capture/status',
          status: { running: true, queued: 0, modelProgress: progress },
        }),
      modelProgress,
    );
  await report(0.37);
  const bar = device.getByRole('progressbar', {
    name: 'Downloading and loading the speech model',
  });
  await expect(bar).toHaveAttribute('aria-valuetext', '37%');
  await expectAccessible(panel);
  await report(null);
  await expect(bar).toHaveCount(0);

  await consent.getByRole('button', { name: 'Withdraw consent' }).click();
  await expect(consent.getByRole('status')).toContainText('Not agreed');
  expect((await deviceValues()).voiceModelDownloadAllowed).toBe(false);
  await expect
    .poll(async () => (await scripted()).config?.transcription.downloadAllowed)
    .toBe(false);
});
