// The video page's socket drops while another client keeps writing: when it is back, the page
// subscribes to `noteEvents` again with `since` (the last offset it applied, PROTOCOL.md
// section 6.1), the server replays what was missed, and the list is not read again.

import type { Page } from '@playwright/test';

import { newUser } from '../rig/api';
import { expect, test } from '../rig/fixtures';
import { startProxy, type ServerProxy } from '../rig/proxy';
import { startServer, type LossyServer } from '../rig/server';

interface Frame {
  id?: string;
  type: string;
  payload?: {
    query?: string;
    variables?: Record<string, unknown>;
    data?: { noteEvents?: { offset?: string } };
  };
}

/** Every graphql-transport-ws message the page sent and received, in order, and the
 * operations it posted over HTTP. */
function watch(page: Page) {
  const seen = { sent: [] as Frame[], received: [] as Frame[], posted: [] as string[] };
  page.on('websocket', (socket) => {
    socket.on('framesent', (frame) => seen.sent.push(JSON.parse(String(frame.payload)) as Frame));
    socket.on('framereceived', (frame) =>
      seen.received.push(JSON.parse(String(frame.payload)) as Frame),
    );
  });
  page.on('request', (request) => {
    if (request.method() !== 'POST' || !request.url().endsWith('/graphql')) return;
    const body = request.postDataJSON() as { query?: string } | null;
    seen.posted.push(/(?:query|mutation) (\w+)/.exec(body?.query ?? '')?.[1] ?? '?');
  });
  return seen;
}

const noteEvents = (frames: Frame[]) =>
  frames.filter((f) => f.type === 'subscribe' && /subscription NoteEvents\b/.test(f.payload?.query ?? ''));

let proxy: ServerProxy | null = null;
let ownServer: LossyServer | null = null;

test.afterEach(async () => {
  await proxy?.close();
  proxy = null;
  await ownServer?.stop();
  ownServer = null;
});

test('after a dropped socket the page resumes its notes from the last offset, without reading the list again', async ({
  signedInPage: page,
  server,
  reviewer,
}) => {
  test.setTimeout(90_000);
  proxy = await startProxy(server.origin);
  const device = await reviewer.device();
  const video = await device.detectVideo('https://vimeo.com/76979871', 'Rough cut', 600);
  const edited = await device.createNote(video.id, 5, 'listed before');
  const doomed = await device.createNote(video.id, 8, 'deleted while away');

  const seen = watch(page);
  await page.goto(`${proxy.origin}/videos/${video.id}`);
  await expect(page.getByRole('article', { name: 'Note at 0:05' })).toContainText('listed before');
  await expect.poll(() => noteEvents(seen.sent).length).toBe(1);
  // A note heard live: the page now holds an offset.
  await device.createNote(video.id, 10, 'heard live');
  await expect(page.getByRole('article', { name: 'Note at 0:10' })).toContainText('heard live');
  const stream = noteEvents(seen.sent)[0]!;
  // The first subscription follows from now, or from the offset the list was read at when the
  // socket was acknowledged after the first page came (`notes { offset }`).
  const first = stream.payload?.variables?.since;
  expect(first === undefined || /^\d+\.[0-9a-f]{8}$/.test(String(first))).toBe(true);
  await expect
    .poll(() => seen.received.filter((f) => f.id === stream.id && f.type === 'next').length)
    .toBeGreaterThanOrEqual(2); // NoteCreated, then VideoSummaryUpdated
  const applied = seen.received.filter((f) => f.id === stream.id && f.type === 'next').at(-1)
    ?.payload?.data?.noteEvents?.offset;
  expect(applied).toEqual(expect.any(String));

  proxy.cut();
  await expect(page.getByTestId('connection-banner')).toContainText('Connection to the server lost');
  const sentBefore = seen.sent.length;
  const postedBefore = seen.posted.length;
  // Meanwhile the reviewer's other device writes: a note, an edit, a deletion.
  await device.createNote(video.id, 20, 'made while away');
  await device.updateNote({ id: edited.id, version: edited.version, text: 'edited while away' });
  await reviewer.session.graphql('mutation($id: ID!) { deleteNote(id: $id) { id } }', { id: doomed.id });
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await expect(page.getByRole('article', { name: 'Note at 0:20' })).toHaveCount(0);

  proxy.restore();
  await expect(page.getByTestId('connection-banner')).toHaveCount(0, { timeout: 35_000 });
  await expect(page.getByRole('article', { name: 'Note at 0:20' })).toContainText('made while away');
  await expect(page.getByRole('article', { name: 'Note at 0:05' })).toContainText('edited while away');
  await expect(page.getByRole('article', { name: 'Note at 0:08' })).toHaveCount(0);

  // Subscribed again once, after the offset the page applied last; the list was not read.
  const resubscribed = noteEvents(seen.sent.slice(sentBefore));
  expect(resubscribed.map((frame) => frame.payload?.variables)).toEqual([
    { videoId: video.id, since: applied },
  ]);
  expect(seen.posted.slice(postedBefore)).not.toContain('NotesPage');

  // And it follows live from there.
  await device.createNote(video.id, 30, 'live again');
  await expect(page.getByRole('article', { name: 'Note at 0:30' })).toContainText('live again');
  expect(seen.posted.slice(postedBefore)).not.toContain('NotesPage');
});

test('when the server no longer keeps the events after its offset, the page reads the list again and follows from now, with no error', async ({
  page,
  context,
}) => {
  test.setTimeout(90_000);
  // A server that keeps events for 3 s only.
  ownServer = await startServer({ env: { LOSSY_NOTE_EVENTS_RETENTION_SECS: '3' } });
  proxy = await startProxy(ownServer.origin);
  const { session } = await newUser(ownServer);
  await context.addCookies([
    {
      name: 'lossy_session',
      value: session.cookieValue,
      domain: '127.0.0.1',
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
    },
  ]);
  const device = await session.connectDevice();
  const video = await device.detectVideo('https://vimeo.com/76979871', 'Rough cut', 600);
  await device.createNote(video.id, 5, 'listed before');

  const seen = watch(page);
  await page.goto(`${proxy.origin}/videos/${video.id}`);
  await expect(page.getByRole('article', { name: 'Note at 0:05' })).toContainText('listed before');
  await expect.poll(() => noteEvents(seen.sent).length).toBe(1);
  await device.createNote(video.id, 10, 'heard live');
  await expect(page.getByRole('article', { name: 'Note at 0:10' })).toContainText('heard live');
  const stream = noteEvents(seen.sent)[0]!;
  await expect
    .poll(() => seen.received.filter((f) => f.id === stream.id && f.type === 'next').length)
    .toBeGreaterThanOrEqual(2);
  const applied = seen.received.filter((f) => f.id === stream.id && f.type === 'next').at(-1)
    ?.payload?.data?.noteEvents?.offset;

  proxy.cut();
  await expect(page.getByTestId('connection-banner')).toContainText('Connection to the server lost');
  const sentBefore = seen.sent.length;
  const receivedBefore = seen.received.length;
  const postedBefore = seen.posted.length;
  await device.createNote(video.id, 20, 'made while away');
  // Past retention: the event after the page's offset is older than 3 s.
  await new Promise((resolve) => setTimeout(resolve, 4_500));

  proxy.restore();
  await expect(page.getByTestId('connection-banner')).toHaveCount(0, { timeout: 35_000 });
  await expect(page.getByRole('article', { name: 'Note at 0:20' })).toContainText('made while away');
  await expect(page.getByRole('article', { name: 'Note at 0:05' })).toContainText('listed before');
  // Nothing to show for it: the refusal is expected.
  await expect(page.getByRole('alert')).toHaveCount(0);

  // Resumed from the offset, refused with EVENTS_EXPIRED, then followed from now and read.
  const resubscribed = noteEvents(seen.sent.slice(sentBefore));
  expect(resubscribed.map((frame) => frame.payload?.variables)).toEqual([
    { videoId: video.id, since: applied },
    { videoId: video.id },
  ]);
  const refusal = seen.received
    .slice(receivedBefore)
    .find((frame) => frame.id === resubscribed[0]!.id && frame.type === 'error');
  expect(JSON.stringify(refusal?.payload)).toContain('EVENTS_EXPIRED');
  expect(seen.posted.slice(postedBefore)).toContain('NotesPage');

  await device.createNote(video.id, 30, 'live again');
  await expect(page.getByRole('article', { name: 'Note at 0:30' })).toContainText('live again');
});
