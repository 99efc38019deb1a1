// The outbox when the browser runs out of room: Chromium's own quota for the extension's
// origin is set tiny (DevTools' Storage.overrideQuotaForOrigin), so IndexedDB really refuses
// the service worker's writes. The reviewer is told, loses nothing already queued, and the
// note lands once when there is room again.

import { expect, test, type Page } from '@playwright/test';

import { expectAccessible } from '../rig/fixtures';
import { extensionOrigin, overrideQuota, type QuotaOverride } from '../rig/quota';
import {
  connectExtension,
  openVideoAndPanel,
  serverNotes,
  startReview,
  typeNote,
  type Review,
} from '../rig/review';

const NO_ROOM = 'no room left for queued notes';

let review: Review;

test.beforeEach(async () => {
  review = await startReview();
});

test.afterEach(async () => {
  await review.close();
});

/** The extension's origin is out of room (as IndexedDB sees it) when this returns. */
async function fillStorage(panel: Page): Promise<QuotaOverride> {
  const quota = await overrideQuota(panel, extensionOrigin(review.browser.extensionId), 1);
  expect((await quota.usage()).usage).toBeGreaterThan(1);
  await quota.enforced();
  return quota;
}

test('with no room left a typed note is refused and said so, queued writes still drain, and it lands once there is room', async ({}, testInfo) => {
  test.setTimeout(150_000);
  const { session } = review;
  await connectExtension(review);
  const { panel, videoId } = await openVideoAndPanel(review, 4);
  const texts = async () => (await serverNotes(session, videoId)).map((note) => note.text).sort();

  await typeNote(panel, 'typed while storage works');
  await expect.poll(texts).toEqual(['typed while storage works']);

  // Queued while the server is away, before the room runs out.
  await review.server.halt();
  await typeNote(panel, 'queued before the disk filled');
  const waiting = panel.getByRole('list', { name: 'Notes waiting to be sent' });
  await expect(waiting).toContainText('queued before the disk filled');

  const quota = await fillStorage(panel);
  try {
    await typeNote(panel, 'refused for want of room');
    await expect(panel.getByRole('alert').filter({ hasText: NO_ROOM }).first()).toBeVisible();
    // The refused note is not among the waiting ones; the queued one still is.
    await expect(waiting.getByRole('listitem')).toHaveText([/queued before the disk filled/]);
    await panel.screenshot({ path: testInfo.outputPath('sidepanel-storage-full.png'), fullPage: true });
    await expectAccessible(panel);

    // The server is back while the storage is still full: what was queued is sent anyway
    // (sending and removing it need no room).
    await review.server.resume();
    await expect
      .poll(texts, { timeout: 60_000, intervals: [500] })
      .toEqual(['queued before the disk filled', 'typed while storage works']);

    // Room again: the note is taken, sent, and lands once.
    await quota.restore();
    await typeNote(panel, 'refused for want of room');
    await expect
      .poll(texts)
      .toEqual([
        'queued before the disk filled',
        'refused for want of room',
        'typed while storage works',
      ]);
    await expect(panel.getByText(NO_ROOM)).toHaveCount(0);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await texts()).toHaveLength(3);
  } finally {
    await quota.restore();
  }
});

test('a note refused for want of room stays in the field, to be sent again once there is room', async () => {
  // The side panel empties the field as soon as the note is posted to the worker, before the
  // worker's STORAGE refusal comes back; the refused text is only quoted in an alert.
  test.setTimeout(120_000);
  const { session } = review;
  await connectExtension(review);
  const { panel, videoId } = await openVideoAndPanel(review, 4);
  const field = panel.getByLabel('Note at the current time');

  const quota = await fillStorage(panel);
  try {
    await typeNote(panel, 'kept in the field');
    await expect(panel.getByRole('alert').filter({ hasText: NO_ROOM }).first()).toBeVisible();
    await expect(field).toHaveValue('kept in the field');

    await quota.restore();
    await panel.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(field).toHaveValue('');
    await expect
      .poll(async () => (await serverNotes(session, videoId)).map((note) => note.text))
      .toEqual(['kept in the field']);
  } finally {
    await quota.restore();
  }
});
