// The video page (/videos/:id): the player beside the notes, live updates, editing with
// versions, deleting with undo, seeking a local video, and 10,000 notes.

import type { Page, WebSocketRoute } from '@playwright/test';

import { bulkNotes } from '../rig/bulk';
import { expect, expectAccessible, test } from '../rig/fixtures';

/** The listed notes' times, top to bottom (the visible rows of the virtualised list). */
function times(page: Page) {
  return page.getByRole('article').getByRole('button', { name: /^(Play from|Open the video at)/ });
}

function noteAt(page: Page, time: string) {
  return page.getByRole('article', { name: `Note at ${time}` });
}

/** Resolves once the page has subscribed to the video's note events over its socket. */
function subscribed(page: Page): Promise<void> {
  return new Promise((resolve) => {
    page.on('websocket', (socket) => {
      socket.on('framesent', (frame) => {
        const text = typeof frame.payload === 'string' ? frame.payload : frame.payload.toString();
        if (text.includes('"subscribe"') && text.includes('noteEvents')) resolve();
      });
    });
  });
}

test('shows the video and its seeded notes in time order', async ({
  signedInPage: page,
  server,
  reviewer,
}) => {
  const device = await reviewer.device();
  const video = await device.detectVideo('https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'Intro cut v3', 4000);
  await device.createNote(video.id, 3725, 'credits roll too fast', 'PACING');
  await device.createNote(video.id, 5, 'the music is too loud here', 'AUDIO');
  await device.submitTranscript(video.id, 75, 'the logo is blurry', 0.8);
  await device.createNote(video.id, 30, 'cut this shot earlier', 'EDITING');

  await page.goto(`${server.origin}/videos/${video.id}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Intro cut v3' })).toBeVisible();
  const facts = page.getByRole('list', { name: 'About this video' });
  await expect(facts).toContainText('YouTube');
  await expect(facts).toContainText('1:06:40');
  await expect(facts.getByTestId('note-count')).toHaveText('4 notes');
  await expect(facts.getByRole('link', { name: /Open on YouTube/ })).toHaveAttribute(
    'href',
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
  );
  // The YouTube player, embedded for postMessage control from this page's origin.
  const frame = page.getByTitle('YouTube player: Intro cut v3');
  await expect(frame).toHaveAttribute('src', /^https:\/\/www\.youtube\.com\/embed\/dQw4w9WgXcQ\?/);
  expect(new URL((await frame.getAttribute('src')) ?? '').searchParams.get('enablejsapi')).toBe('1');
  expect(new URL((await frame.getAttribute('src')) ?? '').searchParams.get('origin')).toBe(server.origin);

  await expect(times(page)).toHaveText(['0:05', '0:30', '1:15', '1:02:05']);
  const audio = noteAt(page, '0:05');
  await expect(audio).toContainText('the music is too loud here');
  await expect(audio).toContainText('Audio');
  await expect(audio).toContainText('Kept');
  // A spoken note: the structurer tidies its text and judges its category and confidence.
  await expect(noteAt(page, '1:15')).toContainText(/the logo is blurry/i);
  await expect(noteAt(page, '1:15')).toContainText('New');
  await expect(noteAt(page, '1:15')).toContainText(/\d+%/);
});

test('a note made by another client appears within a second, without a reload', async ({
  signedInPage: page,
  server,
  reviewer,
}) => {
  const device = await reviewer.device();
  const video = await device.detectVideo('https://vimeo.com/76979871', 'Outro draft', 600);
  const live = subscribed(page);
  await page.goto(`${server.origin}/videos/${video.id}`);
  await expect(page.getByRole('heading', { name: 'No notes yet' })).toBeVisible();
  await live;

  const sent = Date.now();
  await device.createNote(video.id, 42, 'the fade out is too abrupt', 'EDITING');
  await expect(noteAt(page, '0:42')).toContainText('the fade out is too abrupt', { timeout: 1_000 });
  expect(Date.now() - sent).toBeLessThan(1_000);
  await expect(page.getByTestId('note-count')).toHaveText('1 note');
});

test('after the socket reconnects, a note missed meanwhile appears', async ({
  signedInPage: page,
  server,
  reviewer,
}) => {
  const device = await reviewer.device();
  const video = await device.detectVideo('https://vimeo.com/76979871', 'Outro draft', 600);
  await device.createNote(video.id, 5, 'seen before the drop');

  // Every socket of the page goes through here: the test can drop it, and hold the next
  // one's messages (its connection_init) until the missed note exists.
  const sockets: WebSocketRoute[] = [];
  let holding = false;
  const held: (string | Buffer)[] = [];
  let pageSide: WebSocketRoute | null = null;
  let subscribedOnce: () => void = () => undefined;
  const subscribedFirst = new Promise<void>((resolve) => (subscribedOnce = resolve));
  await page.routeWebSocket(/\/graphql$/, (ws) => {
    const upstream = ws.connectToServer();
    sockets.push(upstream);
    pageSide = ws;
    ws.onMessage((message) => {
      if (String(message).includes('noteEvents')) subscribedOnce();
      if (holding) held.push(message);
      else upstream.send(message);
    });
  });

  await page.goto(`${server.origin}/videos/${video.id}`);
  await expect(noteAt(page, '0:05')).toBeVisible();
  await subscribedFirst;

  holding = true;
  await (pageSide as WebSocketRoute | null)?.close({ code: 1012, reason: 'restart' });
  await expect(page.getByTestId('connection-banner')).toBeVisible();
  // The page reconnects (its messages held) while another client adds a note it cannot hear.
  await expect.poll(() => sockets.length, { timeout: 10_000 }).toBe(2);
  await device.createNote(video.id, 50, 'made while the socket was down');
  holding = false;
  for (const message of held.splice(0)) sockets[1]?.send(message);

  await expect(noteAt(page, '0:50')).toContainText('made while the socket was down', { timeout: 5_000 });
  await expect(page.getByTestId('connection-banner')).toHaveCount(0);
});

test('edit, keep, resolve, delete, undo and restore each reach the server', async ({
  signedInPage: page,
  server,
  reviewer,
}) => {
  const device = await reviewer.device();
  const video = await device.detectVideo('https://www.youtube.com/watch?v=9bZkp7q19f0', 'Colour pass', 600);
  const note = await device.submitTranscript(video.id, 12, 'the skin tones look too green', 0.9);
  const read = () => device.note(note.id);

  await page.goto(`${server.origin}/videos/${video.id}`);
  const row = noteAt(page, '0:12');
  await expect(row).toContainText(/the skin tones look too green/i);

  // Edit: Enter saves.
  await row.getByRole('button', { name: /^Edit/ }).click();
  const text = page.getByRole('textbox', { name: 'Text' });
  await text.fill('the skin tones are too green in the close-up');
  await page.getByRole('combobox', { name: 'Category' }).last().selectOption({ label: 'Color' });
  await text.press('Enter');
  await expect(row).toContainText('the skin tones are too green in the close-up');
  await expect.poll(async () => (await read()).text).toBe('the skin tones are too green in the close-up');
  expect((await read()).category).toBe('COLOR');

  await row.getByRole('button', { name: /^Keep/ }).click();
  await expect.poll(async () => (await read()).status).toBe('FIRMED');
  await expect(row).toContainText('Kept');

  await row.getByRole('button', { name: /^Resolve/ }).click();
  await expect.poll(async () => (await read()).status).toBe('RESOLVED');
  await expect(row).toContainText('Resolved');

  await row.getByRole('button', { name: /^Delete/ }).click();
  await expect.poll(async () => (await read()).deletedAt).not.toBeNull();
  await expect(row).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(async () => (await read()).deletedAt).toBeNull();
  await expect(row).toContainText('the skin tones are too green in the close-up');

  // Deleted again, then restored from the list of deleted notes.
  await row.getByRole('button', { name: /^Delete/ }).click();
  await expect.poll(async () => (await read()).deletedAt).not.toBeNull();
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await page.getByText('Filters', { exact: true }).click();
  await page.getByRole('checkbox', { name: 'Show deleted' }).check();
  await expect(row).toContainText('Deleted');
  await row.getByRole('button', { name: /^Restore/ }).click();
  await expect.poll(async () => (await read()).deletedAt).toBeNull();
  await expect(row).not.toContainText('Deleted');
});

test('a stale edit shows the server’s CONFLICT and the newer note, keeping the draft', async ({
  signedInPage: page,
  server,
  reviewer,
}) => {
  const device = await reviewer.device();
  const video = await device.detectVideo('https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'Intro', 600);
  const note = await device.createNote(video.id, 20, 'title card typo', 'GRAPHICS');

  await page.goto(`${server.origin}/videos/${video.id}`);
  const row = noteAt(page, '0:20');
  await row.getByRole('button', { name: /^Edit/ }).click();
  const text = page.getByRole('textbox', { name: 'Text' });
  await text.fill('my version of the note');

  // Another client changes the note meanwhile.
  await device.updateNote({ id: note.id, version: note.version, text: 'their version of the note' });
  await text.press('Enter');

  const alert = row.getByRole('alert');
  await expect(alert).toContainText(`the note is at version ${note.version + 1}, not ${note.version}`);
  await expect(alert).toContainText('their version of the note');
  await expect(text).toHaveValue('my version of the note');
  expect((await device.note(note.id)).text).toBe('their version of the note');

  // The reader chooses to keep theirs over it.
  await row.getByRole('button', { name: 'Save mine over it' }).click();
  await expect.poll(async () => (await device.note(note.id)).text).toBe('my version of the note');
});

test('choosing a note’s time seeks the video on the page', async ({
  signedInPage: page,
  server,
  reviewer,
  media,
}) => {
  const device = await reviewer.device();
  const video = await device.detectVideo(media.url('clip.webm'), 'Test pattern', 30);
  expect(video.platform).toBe('generic');
  await device.createNote(video.id, 12, 'the pattern jumps here');
  await device.createNote(video.id, 21, 'and here');

  await page.goto(`${server.origin}/videos/${video.id}`);
  const player = page.locator('video');
  await expect(player).toHaveAttribute('src', media.url('clip.webm'));
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Play from 0:12' }).click();
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo(12, 1);
  await page.getByRole('button', { name: 'Play from 0:21' }).click();
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo(21, 1);

  // A typed note takes the player's position.
  await page.getByRole('textbox', { name: 'Note' }).fill('typed at the playhead');
  await expect(page.getByRole('textbox', { name: 'Time' })).toHaveValue('0:21');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByText('Note added at 0:21.')).toBeVisible();
  await expect(page.getByRole('article', { name: 'Note at 0:21' })).toHaveCount(2);
});

test('a platform that cannot be embedded opens its deep link in a new tab', async ({
  signedInPage: page,
  server,
  reviewer,
  outsideRequests,
}) => {
  const device = await reviewer.device();
  const video = await device.detectVideo('https://app.frame.io/player/0b3c5d6e-1234-4abc-8def-0123456789ab', 'Frame cut', 600);
  expect(video.platform).toBe('frameio');
  await device.createNote(video.id, 42, 'colour shifts here');

  await page.goto(`${server.origin}/videos/${video.id}`);
  await expect(page.getByRole('heading', { name: 'This platform can’t be embedded here' })).toBeVisible();
  const popup = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Open the video at 0:42 (new tab)' }).click();
  const tab = await popup;
  await expect.poll(() => outsideRequests.some((url) => url.startsWith('https://app.frame.io/player/'))).toBe(true);
  expect(outsideRequests.find((url) => url.startsWith('https://app.frame.io/'))).toContain('t=42');
  await tab.close();
});

test('a video that is not the reader’s says so', async ({ signedInPage: page, server }) => {
  await page.goto(`${server.origin}/videos/00000000-0000-4000-8000-000000000000`);
  await expect(page.getByRole('heading', { name: "This video isn't in your library" })).toBeVisible();
});

test('10,000 notes render without freezing the page, to the last one', async ({
  signedInPage: page,
  server,
  reviewer,
}) => {
  test.setTimeout(120_000);
  const device = await reviewer.device();
  const video = await device.detectVideo('https://review.example/long-cut', 'Feature cut', 20_000);
  const seeding = Date.now();
  await bulkNotes(server, device, video.id, 10_000, { prefix: 'Bulk note' });
  expect(Date.now() - seeding).toBeLessThan(30_000);

  // Long tasks (main thread busy for more than 50 ms), recorded from the first script on.
  await page.addInitScript(() => {
    const longest = { ms: 0 };
    (window as unknown as { longestTask: typeof longest }).longestTask = longest;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longest.ms = Math.max(longest.ms, entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`${server.origin}/videos/${video.id}`);
  await expect(noteAt(page, '0:00')).toContainText('Bulk note 0');
  await expect(noteAt(page, '0:01')).toContainText('Bulk note 1');
  // Only the rows in view are drawn.
  expect(await page.getByRole('article').count()).toBeLessThan(100);

  await expect(page.getByTestId('notes-shown')).toHaveText('10,000 notes', { timeout: 60_000 });
  await expect(page.getByTestId('note-count')).toHaveText('10,000 notes');

  const scroller = page.getByRole('region', { name: /Notes in video order/ });
  // Rows are measured as they are drawn, so the end may move: scroll until it holds.
  await expect(async () => {
    await scroller.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await expect(noteAt(page, '2:46:39')).toContainText('Bulk note 9999', { timeout: 500 });
  }).toPass({ timeout: 15_000 });

  const longest = await page.evaluate(() => (window as unknown as { longestTask: { ms: number } }).longestTask.ms);
  console.log(`longest main-thread task: ${Math.round(longest)} ms`);
  expect(longest).toBeLessThan(1_000);
});

test('the video page passes axe', async ({ signedInPage: page, server, reviewer }) => {
  const device = await reviewer.device();
  const video = await device.detectVideo('https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'Intro cut v3', 600);
  await device.createNote(video.id, 5, 'the music is too loud here', 'AUDIO');
  await device.submitTranscript(video.id, 9, 'a long note '.repeat(60).trim(), 0.9);
  await page.goto(`${server.origin}/videos/${video.id}`);
  await expect(noteAt(page, '0:05')).toBeVisible();
  await page.getByText('Filters', { exact: true }).click();
  await expectAccessible(page);
  await noteAt(page, '0:05').getByRole('button', { name: /^Edit/ }).click();
  await expectAccessible(page);
});
