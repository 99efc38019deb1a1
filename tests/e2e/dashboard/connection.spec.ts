// The server goes away and comes back: the app says so, keeps what was typed, and catches up.

import { expect, test } from '../rig/fixtures';

test('a server restart shows the banner, then the page reconnects and catches up', async ({
  signedInPage: page,
  server,
  reviewer,
}) => {
  const device = await reviewer.device();
  const video = await device.detectVideo('https://vimeo.com/76979871', 'Rough cut', 600);
  await device.createNote(video.id, 5, 'before the restart');
  await page.goto(`${server.origin}/videos/${video.id}`);
  await expect(page.getByRole('article', { name: 'Note at 0:05' })).toBeVisible();

  await server.halt();
  try {
    await expect(page.getByTestId('connection-banner')).toContainText('Connection to the server lost');
    // A note typed while the server is down is not lost: the save fails visibly, the text stays.
    const draft = page.getByRole('textbox', { name: 'Note', exact: true });
    await draft.fill('typed while the server was down');
    await page.getByRole('textbox', { name: 'Time' }).fill('0:20');
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect(page.getByRole('alert').first()).toBeVisible();
    await expect(draft).toHaveValue('typed while the server was down');
  } finally {
    await server.resume();
  }

  // Back: the banner goes (the backoff is capped, so within about half a minute) and the page
  // hears notes again.
  await expect(page.getByTestId('connection-banner')).toHaveCount(0, { timeout: 35_000 });
  await device.createNote(video.id, 30, 'after the restart');
  await expect(page.getByRole('article', { name: 'Note at 0:30' })).toContainText(
    'after the restart',
  );
  // The kept draft can now be saved.
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByRole('article', { name: 'Note at 0:20' })).toContainText(
    'typed while the server was down',
  );
});
