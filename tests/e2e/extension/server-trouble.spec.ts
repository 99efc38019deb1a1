// The extension against a server in trouble: hung (the process stopped, its sockets open and
// silent), answering a write with a transient error (its database locked by another process),
// or refusing a write for good. Queued writes wait and land once; the reviewer sees the state.

import { expect, test } from '@playwright/test';

import { lockDatabase } from '../rig/dbLock';
import { expectAccessible } from '../rig/fixtures';
import {
  connectExtension,
  openVideoAndPanel,
  serverNotes,
  startReview,
  typeNote,
  type Review,
} from '../rig/review';

let review: Review;

test.beforeEach(async () => {
  review = await startReview();
});

test.afterEach(async () => {
  await review.close();
});

/** The video's notes on the server as `seconds text`, sorted. */
async function notesOn(videoId: string): Promise<string[]> {
  return (await serverNotes(review.session, videoId))
    .map((note) => `${Math.round(note.timestampSeconds)} ${note.text}`)
    .sort();
}

test('with the server hung, a typed note and an edit wait, the panel says offline, and they land once when it answers again', async ({}, testInfo) => {
  test.setTimeout(180_000);
  await connectExtension(review);
  const { panel, videoId } = await openVideoAndPanel(review, 15);
  await review.session.graphql(
    `mutation($input: CreateNoteInput!) { createNote(input: $input) { id } }`,
    { input: { videoId, timestampSeconds: 3, text: 'the logo is misaligned' } },
  );
  const earlier = panel.getByRole('article', { name: 'Note at 0:03' });
  await expect(earlier).toBeVisible();

  // Stopped, not gone: the socket stays open and the kernel still takes what is sent.
  review.server.freeze();
  try {
    await typeNote(panel, 'typed while the server hangs');
    await earlier.getByRole('button', { name: 'Edit the note at 0:03' }).click();
    await panel.getByLabel('Text').fill('the logo is misaligned by a few pixels');
    await panel.getByLabel('Text').press('Enter');

    // The worker finds the silent socket by its unanswered ping, and 30 s after that ping
    // the panel says offline, with what waits.
    await expect(panel.getByRole('status').filter({ hasText: 'Offline, 2 waiting' })).toBeVisible({
      timeout: 60_000,
    });
    await panel.screenshot({ path: testInfo.outputPath('sidepanel-server-hung.png'), fullPage: true });
  } finally {
    review.server.thaw();
  }

  await expect
    .poll(() => notesOn(videoId), { timeout: 60_000, intervals: [500] })
    .toEqual(['15 typed while the server hangs', '3 the logo is misaligned by a few pixels']);
  await expect(panel.getByRole('status').filter({ hasText: /waiting|sending/ })).toHaveCount(0);
  // Exactly once: the send cut by the hang is not repeated after it.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect(await notesOn(videoId)).toHaveLength(2);
});

test('a write the server fails for now (its database locked) stays queued, is sent again, and lands once', async () => {
  test.setTimeout(120_000);
  await connectExtension(review);
  const { panel, videoId } = await openVideoAndPanel(review, 6);
  const waiting = panel.getByRole('list', { name: 'Notes waiting to be sent' });

  const lock = await lockDatabase(review.server);
  try {
    const seen = review.server.output.length;
    await typeNote(panel, 'sent while the database is locked');
    await expect(waiting).toContainText('sent while the database is locked');
    // The server waited out its busy timeout and answered an internal error.
    await expect
      .poll(() => review.server.output.slice(seen).some((line) => /database is locked/.test(line)), {
        timeout: 30_000,
      })
      .toBe(true);
    await expect(waiting).toContainText('sent while the database is locked');
    await expect(panel.getByText('was not saved')).toHaveCount(0);
  } finally {
    await lock.release();
  }

  await expect
    .poll(() => notesOn(videoId), { timeout: 30_000, intervals: [500] })
    .toEqual(['6 sent while the database is locked']);
  await expect(waiting).toHaveCount(0);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect(await notesOn(videoId)).toHaveLength(1);
});

test('a write the server refuses for good leaves the queue, is shown beside the form, and holds nothing back', async () => {
  await connectExtension(review);
  const { panel, videoId } = await openVideoAndPanel(review, 9);

  // The server takes at most 10,000 characters (BAD_USER_INPUT on `text`).
  const rambling = 'and then the shot goes on and on '.repeat(310).trim();
  expect(rambling.length).toBeGreaterThan(10_000);
  await typeNote(panel, rambling);
  const refusal = panel.getByRole('alert').filter({ hasText: 'was not saved' });
  await expect(refusal).toContainText('longer than 10000 characters');
  await expect(panel.getByRole('list', { name: 'Notes waiting to be sent' })).toHaveCount(0);

  await typeNote(panel, 'a short note after the refused one');
  await expect.poll(() => notesOn(videoId)).toEqual(['9 a short note after the refused one']);
  await expect(refusal).toBeVisible();
  await expectAccessible(panel);
});
