// Signing in and out of the web app, against a real server in Chromium.

import { newUser } from '../rig/api';
import { startServer } from '../rig/server';
import { expect, expectAccessible, test } from '../rig/fixtures';

test('a wrong password is refused with a clear message, then the right one signs in', async ({
  page,
  server,
}) => {
  const { credentials } = await newUser(server);
  await page.goto(server.origin + '/');
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('heading', { name: 'Sign in to Lossy' })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel('Email').fill(credentials.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');
  // What was typed stays.
  await expect(page.getByLabel('Email')).toHaveValue(credentials.email);

  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page).toHaveURL(server.origin + '/');
});

test('signing in brings the reader back to the page asked for', async ({ page, server }) => {
  const { credentials } = await newUser(server);
  await page.goto(server.origin + '/settings?tab=voice');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings%3Ftab%3Dvoice$/);
  await page.getByLabel('Email').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(server.origin + '/settings?tab=voice');
});

test('a next address off the site is ignored', async ({ page, server }) => {
  const { credentials } = await newUser(server);
  await page.goto(server.origin + '/sign-in?next=//evil.example/x');
  await page.getByLabel('Email').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(server.origin + '/');
});

test('signing out ends the session; the app asks to sign in again', async ({
  signedInPage: page,
  server,
}) => {
  await page.goto(server.origin + '/');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto(server.origin + '/devices');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fdevices$/);
});

test('an expired session sends the reader to sign in, keeping the page they were on', async ({
  signedInPage: page,
  server,
  reviewer,
}) => {
  // Loaded, with nothing in flight when the session ends: the page reads its settings again
  // once its socket is up, and a socket or a read still under way would notice the end on its
  // own, before the click this test is about. So wait for the socket's acknowledgement and
  // for the read that follows it to have come back.
  const seen: ('ack' | 'read')[] = [];
  page.on('websocket', (socket) => {
    socket.on('framereceived', (frame) => {
      if (String(frame.payload).includes('"connection_ack"')) seen.push('ack');
    });
  });
  page.on('requestfinished', (request) => {
    if (request.method() === 'POST' && request.postData()?.includes('query SettingsPage')) {
      seen.push('read');
    }
  });
  await page.goto(server.origin + '/settings');
  await expect(page.getByRole('heading', { name: 'Voice session timers' })).toBeVisible();
  await expect
    .poll(() => seen.includes('ack') && seen.lastIndexOf('read') > seen.indexOf('ack'))
    .toBe(true);
  // The session ends behind the page's back (as when it expires).
  await fetch(server.origin + '/api/auth/logout', {
    method: 'POST',
    headers: { cookie: reviewer.session.cookie, origin: server.origin },
  });
  await page.getByRole('link', { name: 'Devices' }).click();
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fdevices&expired=1$/);
  await expect(page.getByRole('status')).toContainText('Your session has ended');
  await page.getByLabel('Email').fill(reviewer.credentials.email);
  await page.getByLabel('Password').fill(reviewer.credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(server.origin + '/devices');
});

test.describe('on a fresh install', () => {
  test('the sign-in page says where the admin password is, until someone signs in', async ({
    page,
  }) => {
    const fresh = await startServer();
    try {
      await page.goto(fresh.origin + '/sign-in');
      await expect(page.getByTestId('first-sign-in-hint')).toContainText('printed its password');
      await page.getByLabel('Email').fill(fresh.adminEmail);
      await page.getByLabel('Password').fill(fresh.adminPassword);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('link', { name: 'Admin' })).toBeVisible();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect(page.getByRole('heading', { name: 'Sign in to Lossy' })).toBeVisible();
      await expect(page.getByTestId('first-sign-in-hint')).toHaveCount(0);
    } finally {
      await fresh.stop();
    }
  });

  test('too many attempts show the rate limit message', async ({ page }) => {
    const limited = await startServer({ env: { LOSSY_LOGIN_RATE_PER_ADDRESS: '2' } });
    try {
      await page.goto(limited.origin + '/sign-in');
      await page.getByLabel('Email').fill(limited.adminEmail);
      for (let i = 0; i < 3; i++) {
        await page.getByLabel('Password').fill(`wrong-${i}`);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await expect(page.getByRole('alert')).toBeVisible();
      }
      await expect(page.getByRole('alert')).toContainText('Too many sign-in attempts');
    } finally {
      await limited.stop();
    }
  });
});
