// The worker's socket drops while the reviewer's web session keeps writing: when it is back,
// the side panel's stream and the worker's own (the watch page's markers) are sent again with
// `since` (the last offset each applied, PROTOCOL.md section 6.1), the server replays what was
// missed, and neither reads its list again. The socket runs through a proxy the test cuts and
// restores; the proxy also shows what the worker sent, which no page can see.

import { expect, test } from '@playwright/test';

import { inspectOverlay } from '../rig/content';
import { startProxy, type ProxiedMessage, type ServerProxy } from '../rig/proxy';
import { openVideoAndPanel, startReview, type Review } from '../rig/review';

interface Message {
  id?: string;
  type: string;
  payload?: {
    query?: string;
    variables?: Record<string, unknown>;
    data?: { noteEvents?: { offset?: string } };
  };
}

let review: Review;
let proxy: ServerProxy;

/** A review whose extension reaches the server through the proxy, as a reviewer would type a
 * server's address in the popup. */
async function start(serverEnv: Record<string, string> = {}): Promise<void> {
  review = await startReview({ serverEnv });
  proxy = await startProxy(review.server.origin);
  const popup = await review.browser.context.newPage();
  await popup.goto(`chrome-extension://${review.browser.extensionId}/popup.html`);
  await popup.getByLabel('Server').fill(proxy.origin);
  await popup.getByRole('button', { name: 'Save' }).click();
  await expect(popup.getByText('Connected', { exact: false }).first()).toBeVisible({ timeout: 15_000 });
  await popup.close();
}

test.afterEach(async () => {
  await review.close();
  await proxy.close();
});

/** The extension's socket messages (client: sent by the worker), in order. */
const messages = (from: ProxiedMessage['from'], since = 0): (Message & { connection: number })[] =>
  proxy.messages
    .slice(since)
    .filter((m) => m.from === from && typeof m.data === 'object' && m.data !== null)
    .map((m) => ({ ...(m.data as Message), connection: m.connection }));

const subscribes = (name: string, since = 0) =>
  messages('client', since).filter(
    (m) => m.type === 'subscribe' && new RegExp(`(?:query|subscription) ${name}\\b`).test(m.payload?.query ?? ''),
  );

/** The last offset the server sent on the `name` stream (its latest subscription). */
function lastOffset(name: string): string | undefined {
  const stream = subscribes(name).at(-1);
  if (!stream) return undefined;
  return messages('server')
    .filter((m) => m.connection === stream.connection && m.id === stream.id && m.type === 'next')
    .at(-1)?.payload?.data?.noteEvents?.offset;
}

test('after a dropped socket the side panel and the markers resume from their last offsets, without reading their lists again', async () => {
  test.setTimeout(120_000);
  await start();
  const { panel, video, videoId } = await openVideoAndPanel(review, 0);
  const create = (timestampSeconds: number, text: string) =>
    review.session.graphql<{ createNote: { id: string; version: number } }>(
      `mutation($input: CreateNoteInput!) { createNote(input: $input) { id version } }`,
      { input: { videoId, timestampSeconds, text } },
    );
  const markers = async () => ((await inspectOverlay(video))?.markers ?? []).map((m) => m.noteId).sort();

  // Two notes heard live: both streams now hold an offset.
  const edited = (await create(3, 'the logo is misaligned')).createNote;
  const doomed = (await create(6, 'deleted while away')).createNote;
  await expect(panel.getByRole('article', { name: 'Note at 0:06' })).toBeVisible();
  await expect.poll(markers).toEqual([edited.id, doomed.id].sort());
  await expect.poll(() => lastOffset('PanelNoteEvents')).toEqual(expect.any(String));
  await expect.poll(() => lastOffset('WorkerNoteEvents')).toEqual(expect.any(String));
  // Each followed from now at first.
  expect(subscribes('PanelNoteEvents').map((m) => m.payload?.variables?.since)).toEqual([undefined]);
  expect(subscribes('WorkerNoteEvents').map((m) => m.payload?.variables?.since)).toEqual([undefined]);
  const panelApplied = lastOffset('PanelNoteEvents');
  const workerApplied = lastOffset('WorkerNoteEvents');

  proxy.cut();
  await expect(panel.getByRole('status').filter({ hasText: /Reconnecting|Offline/ }).first()).toBeVisible({
    timeout: 15_000,
  });
  const before = proxy.messages.length;
  const made = (await create(12, 'made while away')).createNote;
  await review.session.graphql(
    `mutation($input: UpdateNoteInput!) { updateNote(input: $input) { id } }`,
    { input: { id: edited.id, version: edited.version, text: 'the logo is misaligned by a few pixels' } },
  );
  await review.session.graphql('mutation($id: ID!) { deleteNote(id: $id) { id } }', { id: doomed.id });
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await expect(panel.getByRole('article', { name: 'Note at 0:12' })).toHaveCount(0);

  proxy.restore();
  await expect(panel.getByRole('article', { name: 'Note at 0:12' })).toContainText('made while away', {
    timeout: 45_000,
  });
  await expect(panel.getByRole('article', { name: 'Note at 0:03' })).toContainText('by a few pixels');
  await expect(panel.getByRole('article', { name: 'Note at 0:06' })).toHaveCount(0);
  await expect.poll(markers).toEqual([edited.id, made.id].sort());

  // Each stream sent again once, after its last offset; no list read again.
  expect(subscribes('PanelNoteEvents', before).map((m) => m.payload?.variables)).toEqual([
    { videoId, since: panelApplied },
  ]);
  expect(subscribes('WorkerNoteEvents', before).map((m) => m.payload?.variables)).toEqual([
    { videoId, since: workerApplied },
  ]);
  expect(subscribes('PanelNotes', before)).toEqual([]);
  expect(subscribes('WorkerNotes', before)).toEqual([]);

  // And live from there.
  await create(20, 'live again');
  await expect(panel.getByRole('article', { name: 'Note at 0:20' })).toContainText('live again');
  expect(subscribes('PanelNotes', before)).toEqual([]);
  expect(subscribes('WorkerNotes', before)).toEqual([]);
});

test('when the server no longer keeps the events after their offsets, the panel and the markers read their lists again and follow from now, with no error', async () => {
  test.setTimeout(120_000);
  // A server that keeps events for 3 s only.
  await start({ LOSSY_NOTE_EVENTS_RETENTION_SECS: '3' });
  const { panel, video, videoId } = await openVideoAndPanel(review, 0);
  const create = (timestampSeconds: number, text: string) =>
    review.session.graphql<{ createNote: { id: string } }>(
      `mutation($input: CreateNoteInput!) { createNote(input: $input) { id } }`,
      { input: { videoId, timestampSeconds, text } },
    );
  const markers = async () => ((await inspectOverlay(video))?.markers ?? []).map((m) => m.noteId).sort();

  const heard = (await create(3, 'heard live')).createNote;
  await expect(panel.getByRole('article', { name: 'Note at 0:03' })).toBeVisible();
  await expect.poll(markers).toEqual([heard.id]);
  await expect.poll(() => lastOffset('PanelNoteEvents')).toEqual(expect.any(String));
  await expect.poll(() => lastOffset('WorkerNoteEvents')).toEqual(expect.any(String));
  const panelApplied = lastOffset('PanelNoteEvents');
  const workerApplied = lastOffset('WorkerNoteEvents');

  proxy.cut();
  const before = proxy.messages.length;
  const made = (await create(12, 'made while away')).createNote;
  // Past retention: the event after each offset is older than 3 s.
  await new Promise((resolve) => setTimeout(resolve, 4_500));

  proxy.restore();
  await expect(panel.getByRole('article', { name: 'Note at 0:12' })).toContainText('made while away', {
    timeout: 45_000,
  });
  await expect.poll(markers).toEqual([heard.id, made.id].sort());
  await expect(panel.getByRole('alert')).toHaveCount(0);

  // Each stream: sent again after its offset, refused with EVENTS_EXPIRED, then from now, and
  // its list read again.
  for (const [name, applied, list] of [
    ['PanelNoteEvents', panelApplied, 'PanelNotes'],
    ['WorkerNoteEvents', workerApplied, 'WorkerNotes'],
  ] as const) {
    const again = subscribes(name, before);
    expect(again.map((m) => m.payload?.variables)).toEqual([{ videoId, since: applied }, { videoId }]);
    const refusal = messages('server', before).find(
      (m) => m.connection === again[0]!.connection && m.id === again[0]!.id && m.type === 'error',
    );
    expect(JSON.stringify(refusal?.payload)).toContain('EVENTS_EXPIRED');
    expect(subscribes(list, before).length).toBeGreaterThan(0);
  }

  await create(20, 'live again');
  await expect(panel.getByRole('article', { name: 'Note at 0:20' })).toContainText('live again');
});
