// The side panel and the popup as Chromium renders them from the built extension, before any
// sign-in: the signed-out state must show (whatever the worker is doing), pass axe, and be
// kept as a screenshot.

import { expect, test } from '@playwright/test';

import { launchExtension, type ExtensionBrowser } from '../rig/extension';
import { expectAccessible } from '../rig/fixtures';

let browser: ExtensionBrowser;

test.beforeAll(async () => {
  browser = await launchExtension();
});

test.afterAll(async () => {
  await browser.close();
});

test('the side panel shows the signed-out state with Sign in', async ({}, testInfo) => {
  const page = await browser.context.newPage();
  await expect(async () => {
    await page.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
  }).toPass({ timeout: 15_000 });
  await expect(page.getByRole('heading', { name: 'Signed out' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath('sidepanel-signed-out.png'), fullPage: true });
  await page.close();
});

test('the popup shows the server, the sign-in state and the way to the side panel', async ({}, testInfo) => {
  const page = await browser.context.newPage();
  await expect(async () => {
    await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  }).toPass({ timeout: 15_000 });
  await expect(page.getByLabel('Server')).toHaveValue(/^https?:\/\//);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Open the side panel' })).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath('popup-signed-out.png') });
  await page.close();
});
