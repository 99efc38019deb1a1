// The library (/): the signed-in reviewer's videos with their note counts, search and filters.

import { expect, expectAccessible, test } from '../rig/fixtures';

test('the library lists the reviewer’s videos with their note counts', async ({
  signedInPage: page,
  server,
  reviewer,
}) => {
  const device = await reviewer.device();
  const intro = await device.detectVideo('https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'Intro cut v3');
  const outro = await device.detectVideo('https://vimeo.com/76979871', 'Outro draft');
  await device.createNote(intro.id, 5, 'the music is too loud here', 'AUDIO');
  await device.createNote(intro.id, 12, 'cut this shot earlier', 'EDITING');
  await device.createNote(intro.id, 20, 'her voice is buried under the music', 'AUDIO');

  await page.goto(server.origin + '/');
  await expect(page.getByRole('heading', { level: 1, name: 'Library' })).toBeVisible();

  const introCard = page.getByRole('article').filter({
    has: page.getByRole('link', { name: 'Intro cut v3' }),
  });
  await expect(introCard).toContainText('YouTube');
  await expect(introCard).toContainText('3 notes');
  const chips = introCard.getByRole('list', { name: 'Notes by category' });
  // In the app's fixed category order, each with its count in words, not colour alone.
  await expect(chips.getByRole('listitem')).toHaveText(['editing 1', 'audio 2']);
  await expect(introCard.getByRole('link', { name: 'Intro cut v3' })).toHaveAttribute(
    'href',
    `/videos/${intro.id}`,
  );
  // Last viewed: relative, with the exact instant in a machine-readable <time>.
  await expect(introCard.locator('time[datetime]')).toHaveText(/just now|minute/);

  const outroCard = page.getByRole('article').filter({
    has: page.getByRole('link', { name: 'Outro draft' }),
  });
  await expect(outroCard).toContainText('Vimeo');
  await expect(outroCard).toContainText('No notes yet');
  await expect(outroCard.getByRole('link')).toHaveAttribute('href', `/videos/${outro.id}`);
  await expect(page.getByRole('article')).toHaveCount(2);

  await expectAccessible(page);

  await introCard.getByRole('link', { name: 'Intro cut v3' }).click();
  await expect(page).toHaveURL(`${server.origin}/videos/${intro.id}`);
});

test('search and the platform filter narrow the library, and can be cleared', async ({
  signedInPage: page,
  server,
  reviewer,
}) => {
  const device = await reviewer.device();
  await device.detectVideo('https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'Intro cut v3');
  await device.detectVideo('https://vimeo.com/76979871', 'Outro draft');
  await device.detectVideo('https://www.youtube.com/watch?v=9bZkp7q19f0', 'Colour pass');

  await page.goto(server.origin + '/');
  await expect(page.getByRole('article')).toHaveCount(3);

  // Search waits for a pause in typing, then keeps the search in the address.
  await page.getByLabel('Search').fill('outro');
  await expect(page).toHaveURL(/\?q=outro$/);
  await expect(page.getByRole('article')).toHaveCount(1);
  await expect(page.getByRole('link', { name: 'Outro draft' })).toBeVisible();

  await page.getByLabel('Search').fill('');
  await expect(page.getByRole('article')).toHaveCount(3);

  await page.getByLabel('Platform').selectOption({ label: 'YouTube' });
  await expect(page).toHaveURL(/platform=youtube/);
  await expect(page.getByRole('article')).toHaveCount(2);
  await expect(page.getByRole('link', { name: 'Outro draft' })).toHaveCount(0);

  // Filters survive a reload: they are in the address.
  await page.reload();
  await expect(page.getByLabel('Platform')).toHaveValue('youtube');
  await expect(page.getByRole('article')).toHaveCount(2);

  // Search and platform together: nothing matches, and the page says how to get back.
  await page.getByLabel('Search').fill('outro');
  await expect(page.getByRole('heading', { name: 'No videos match' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByRole('article')).toHaveCount(3);
  await expect(page.getByLabel('Search')).toHaveValue('');
  await expect(page.getByLabel('Platform')).toHaveValue('');
});

test('a reviewer without videos sees how to add one', async ({ signedInPage: page, server }) => {
  await page.goto(server.origin + '/');
  await expect(page.getByRole('heading', { name: 'No videos yet' })).toBeVisible();
  await expect(page.getByText(/open a video with the Lossy extension/)).toBeVisible();
  await expect(page.getByRole('main').getByRole('link', { name: 'GraphiQL' })).toHaveAttribute(
    'href',
    '/graphiql',
  );
  await expectAccessible(page);
});
