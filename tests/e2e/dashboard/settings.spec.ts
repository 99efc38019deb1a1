// Settings (/settings): edits round-trip through the server, the server's range errors show
// beside their field, and changes from elsewhere arrive live.

import { expect, expectAccessible, test } from '../rig/fixtures';

test('a changed setting is saved, shown after a reload, and read by the API', async ({
  signedInPage: page,
  server,
  reviewer,
}) => {
  await page.goto(server.origin + '/settings');
  const cooldown = page.getByLabel('Quiet time after a note');
  await expect(cooldown).toHaveValue('500');
  await expectAccessible(page);

  await cooldown.fill('750');
  await page.getByRole('checkbox', { name: 'Pause the video while I speak' }).uncheck();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();

  await page.reload();
  await expect(page.getByLabel('Quiet time after a note')).toHaveValue('750');
  await expect(page.getByRole('checkbox', { name: 'Pause the video while I speak' })).not.toBeChecked();

  const { settings } = await reviewer.session.graphql<{
    settings: { cooldownMs: number; autoPauseVideo: boolean; version: number };
  }>('{ settings { cooldownMs autoPauseVideo version } }');
  expect(settings).toEqual({ cooldownMs: 750, autoPauseVideo: false, version: 2 });
});

test('an out-of-range value shows the server’s message beside the field and keeps it', async ({
  signedInPage: page,
  server,
  reviewer,
}) => {
  await page.goto(server.origin + '/settings');
  const cooldown = page.getByLabel('Quiet time after a note');
  await expect(cooldown).toHaveValue('500');
  await cooldown.fill('999999');
  await page.getByRole('button', { name: 'Save changes' }).click();

  await expect(cooldown).toHaveAttribute('aria-invalid', 'true');
  await expect(cooldown).toHaveAccessibleDescription(/cooldownMs must be between 0 and 10000/);
  await expect(cooldown).toHaveValue('999999');
  await expect(cooldown).toBeFocused();
  await expectAccessible(page);

  // Nothing was written.
  const { settings } = await reviewer.session.graphql<{ settings: { cooldownMs: number } }>(
    '{ settings { cooldownMs } }',
  );
  expect(settings.cooldownMs).toBe(500);

  // Fixing it saves.
  await cooldown.fill('1000');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
  await expect(cooldown).not.toHaveAttribute('aria-invalid', 'true');
});

test('a change made elsewhere arrives live: adopted when clean, held when editing', async ({
  signedInPage: page,
  server,
  reviewer,
}) => {
  // The page follows `settingsChanged` on its socket: wait until it has subscribed.
  const subscribed = page.waitForEvent('websocket').then((socket) =>
    socket.waitForEvent('framesent', {
      predicate: (frame) => String(frame.payload).includes('SettingsPageChanged'),
    }),
  );
  await page.goto(server.origin + '/settings');
  const preRoll = page.getByLabel('Audio kept from before speech');
  await expect(preRoll).toHaveValue('500');
  await subscribed;

  // Another device writes while the form is clean: the page takes it and says so.
  await reviewer.session.graphql('mutation { updateSettings(input: {preRollMs: 300}) { version } }');
  await expect(preRoll).toHaveValue('300');
  await expect(
    page.getByRole('status').filter({ hasText: 'Settings were changed on another device' }),
  ).toBeVisible();

  // Now the reviewer is editing: nothing they typed moves until they ask.
  const cooldown = page.getByLabel('Quiet time after a note');
  await cooldown.fill('800');
  await reviewer.session.graphql('mutation { updateSettings(input: {preRollMs: 200}) { version } }');
  const load = page.getByRole('button', { name: 'Load the newer values' });
  await expect(load).toBeVisible();
  await expect(preRoll).toHaveValue('300');
  await expect(cooldown).toHaveValue('800');
  await load.click();
  await expect(preRoll).toHaveValue('200');
  await expect(cooldown).toHaveValue('800');

  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
  const { settings } = await reviewer.session.graphql<{
    settings: { cooldownMs: number; preRollMs: number };
  }>('{ settings { cooldownMs preRollMs } }');
  expect(settings).toEqual({ cooldownMs: 800, preRollMs: 200 });
});

test('transcription: the endpoint choice needs an address, as the server says beside it', async ({
  signedInPage: page,
  server,
  reviewer,
}) => {
  await page.goto(server.origin + '/settings');
  const onDevice = page.getByRole('radio', { name: /On the device/ });
  await expect(onDevice).toBeChecked();
  await page.getByRole('radio', { name: /OpenAI-compatible transcription endpoint/ }).check();
  await page.getByRole('button', { name: 'Save changes' }).click();

  const endpoint = page.getByLabel('Endpoint address');
  await expect(endpoint).toHaveAttribute('aria-invalid', 'true');
  await expect(endpoint).toHaveAccessibleDescription(/transcriptionEndpoint/);
  await expectAccessible(page);

  await endpoint.fill('http://127.0.0.1:9/v1');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
  const { settings } = await reviewer.session.graphql<{
    settings: { transcriptionMode: string; transcriptionEndpoint: string | null };
  }>('{ settings { transcriptionMode transcriptionEndpoint } }');
  expect(settings).toEqual({
    transcriptionMode: 'ENDPOINT',
    transcriptionEndpoint: 'http://127.0.0.1:9/v1',
  });
});
