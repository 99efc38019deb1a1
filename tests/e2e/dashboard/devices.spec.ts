// Devices (/devices): revoking a device in the page signs its extension out at once.

import { expect, expectAccessible, test } from '../rig/fixtures';

test('revoking a device closes its open socket with 4403', async ({
  signedInPage: page,
  server,
  reviewer,
}) => {
  const device = await reviewer.device();
  let resolveClosed: (code: number) => void = () => {};
  const closed = new Promise<number>((resolve) => {
    resolveClosed = resolve;
  });
  const socket = device.socket({
    onClosed: (code) => resolveClosed(code),
    // The close is what this test waits for, not an error to log.
    onNonLazyError: () => {},
  });
  try {
    // The socket is open and accepted once an operation on it answers.
    const answer = await new Promise<unknown>((resolve, reject) => {
      socket.subscribe({ query: '{ me { id } }' }, { next: resolve, error: reject, complete: () => {} });
    });
    expect(answer).toMatchObject({ data: { me: { id: reviewer.session.user.id } } });

    await page.goto(server.origin + '/devices');
    const connected = page.getByRole('region', { name: 'Connected devices' });
    await expect(connected.getByRole('heading', { name: device.name })).toBeVisible();
    await expect(connected).toContainText(/Last seen (just now|\d+ seconds? ago)/);
    await expectAccessible(page);

    await page.getByRole('button', { name: `Revoke ${device.name}` }).click();
    const question = page.getByRole('group', { name: `Revoke ${device.name}?` });
    await expect(question).toBeVisible();
    await expect(question.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await expectAccessible(page);
    // Keyboard only: from Cancel back to "Yes, revoke", then Enter.
    await page.keyboard.press('Shift+Tab');
    await expect(question.getByRole('button', { name: 'Yes, revoke' })).toBeFocused();
    await page.keyboard.press('Enter');

    const code = await Promise.race([
      closed,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the socket was not closed within 10 s')), 10_000),
      ),
    ]);
    expect(code).toBe(4403);

    const revoked = page.getByRole('region', { name: 'Revoked devices' });
    await expect(revoked.getByRole('heading', { name: device.name })).toBeVisible();
    await expect(revoked).toContainText('revoked from the web app');
    await expect(page.getByRole('button', { name: `Revoke ${device.name}` })).toHaveCount(0);
    await expectAccessible(page);
  } finally {
    await socket.dispose();
  }
});

test('a reviewer without devices is told where they come from', async ({
  signedInPage: page,
  server,
}) => {
  await page.goto(server.origin + '/devices');
  await expect(page.getByRole('heading', { name: 'No devices yet' })).toBeVisible();
  await expect(page.getByText(/after you connect the Lossy extension/)).toBeVisible();
  await expectAccessible(page);
});
