// The admin area (/admin, health first; the authentication audit log at /admin/audit) for
// admins, a clear refusal for others.

import type { BrowserContext } from '@playwright/test';

import { newUser, type WebSession } from '../rig/api';
import type { LossyServer } from '../rig/server';
import { expect, expectAccessible, test } from '../rig/fixtures';

async function useSession(context: BrowserContext, server: LossyServer, session: WebSession) {
  await context.addCookies([
    {
      name: 'lossy_session',
      value: session.cookieValue,
      domain: new URL(server.origin).hostname,
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
    },
  ]);
}

test('an admin sees the audit log and can filter it', async ({ page, context, server }) => {
  const { session } = await newUser(server, { role: 'ADMIN' });
  // A refused sign-in to find in the log.
  const refusedEmail = `nobody-${Date.now()}@lossy.test`;
  const refused = await fetch(`${server.origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.origin },
    body: JSON.stringify({ email: refusedEmail, password: 'wrong' }),
  });
  expect(refused.status).toBe(401);
  await useSession(context, server, session);

  await page.goto(server.origin + '/admin');
  await expect(page.getByRole('heading', { level: 1, name: 'Admin' })).toBeVisible();
  const adminNav = page.getByRole('navigation', { name: 'Admin pages' });
  await expect(adminNav.getByRole('link', { name: 'Health' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await adminNav.getByRole('link', { name: 'Audit log' }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await expect(adminNav.getByRole('link', { name: 'Audit log' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(page.getByRole('heading', { name: 'Authentication audit log' })).toBeVisible();
  const table = page.getByRole('table');
  await expect(table.getByRole('columnheader')).toHaveText([
    'Time',
    'Kind',
    'Outcome',
    'Reason',
    'Email',
    'Device',
    'IP address',
  ]);
  // The admin's own sign-in is there.
  await expect(
    table.getByRole('row').filter({ hasText: session.user.email }).filter({ hasText: 'Sign-in' }).first(),
  ).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel('Outcome').selectOption('denied');
  await expect(page).toHaveURL(/outcome=denied/);
  const rows = table.locator('tbody tr');
  await expect(rows.filter({ hasText: refusedEmail })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'success' })).toHaveCount(0);

  await page.getByLabel('Kind').selectOption('ws_join');
  await expect(rows.filter({ hasText: refusedEmail })).toHaveCount(0);
});

test('a non-admin at /admin is told it is for admins and sees no audit data', async ({
  signedInPage: page,
  server,
  reviewer,
}) => {
  await page.goto(server.origin + '/');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Library' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Admin' })).toHaveCount(0);

  await page.goto(server.origin + '/admin');
  await expect(page.getByRole('heading', { name: 'Admins only' })).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Admin pages' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Authentication audit log' })).toHaveCount(0);
  await expectAccessible(page);

  // The server refuses too, whatever the page does.
  const answer = await reviewer.session
    .graphql('{ authEvents(first: 1) { nodes { id } } }')
    .then(() => 'answered', (error: { code?: string }) => error.code);
  expect(answer).toBe('FORBIDDEN');
});
