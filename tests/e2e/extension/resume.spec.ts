// Where the side panel's list and the worker's (the watch page's markers) meet their streams:
// each list answers the offset the user's event stream stood at when it was read, and each
// `noteEvents` starts after it, so a note made between the list's read and the stream's start
// is neither lost nor shown twice. Then the worker's socket drops while the reviewer's web
// session keeps writing: when it is back, both streams are sent again with `since` (the last
// offset each applied, PROTOCOL.md section 6.1), the server replays what was missed, and
// neither reads its list again. The socket runs through a proxy the test cuts and restores (or
// holds a message in); the proxy also shows what the worker sent, which no page can see.

import { expect, test } from '@playwright/test';

import { inspectOverlay } from '../rig/content';
import { startProxy, type ProxiedMessage, type ServerProxy } from '../rig/proxy';
import { openVideoAndPanel, startReview, WATCH, WATCH_TITLE, type Review } from '../rig/review';

interface Message {
  id?: string;
  type: string;
  payload?: {
    query?: string;
    variables?: Record<string, unknown>;
    data?: {
      noteEvents?: { __typename?: string; offset?: string; note?: { id: string } };
      notes?: { offset?: string };
    };
  };
}

/** Each view's list query and its stream. */
const PANEL = { list: 'PanelNotes', stream: 'PanelNoteEvents' } as const;
const WORKER = { list: 'WorkerMarkerNotes', stream: 'WorkerNoteEvents' } as const;

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

/** What the server answered to an operation the worker sent. */
const answers = (operation: Message & { connection: number }) =>
  messages('server').filter(
    (m) => m.connection === operation.connection && m.id === operation.id && m.type === 'next',
  );

/** The last offset the server sent on the `name` stream (its latest subscription). */
function lastOffset(name: string): string | undefined {
  const stream = subscribes(name).at(-1);
  if (!stream) return undefined;
  return answers(stream).at(-1)?.payload?.data?.noteEvents?.offset;
}

/** The offset the latest `name` list was read at, as the server answered it. */
function listOffset(name: string): string | undefined {
  const list = subscribes(name).at(-1);
  if (!list) return undefined;
  return answers(list).at(-1)?.payload?.data?.notes?.offset;
}

/** The server's offsets: the user's event number and a tag of the user. */
const OFFSET = /^\d+\.[0-9a-f]{8}$/;

/** Whether a client message subscribes to one of the views' streams. */
const isStream = (message: unknown): boolean => {
  const m = message as Message | null;
  return (
    m?.type === 'subscribe' &&
    /subscription (?:PanelNoteEvents|WorkerNoteEvents)\b/.test(m.payload?.query ?? '')
  );
};

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
  // Each followed from where its list was read.
  for (const view of [PANEL, WORKER]) {
    expect(listOffset(view.list)).toMatch(OFFSET);
    expect(subscribes(view.stream).map((m) => m.payload?.variables?.since)).toEqual([
      listOffset(view.list),
    ]);
  }
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
  expect(subscribes(PANEL.list, before)).toEqual([]);
  expect(subscribes(WORKER.list, before)).toEqual([]);

  // And live from there.
  await create(20, 'live again');
  await expect(panel.getByRole('article', { name: 'Note at 0:20' })).toContainText('live again');
  expect(subscribes(PANEL.list, before)).toEqual([]);
  expect(subscribes(WORKER.list, before)).toEqual([]);
});

test("when the server no longer keeps the events after their offsets, the panel and the markers read their lists again and follow from the new lists' offsets, with no error", async () => {
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

  // Each stream: sent again after its offset, refused with EVENTS_EXPIRED; its list read
  // again, and the stream sent from that list's offset.
  for (const [view, applied] of [
    [PANEL, panelApplied],
    [WORKER, workerApplied],
  ] as const) {
    const again = subscribes(view.stream, before);
    expect(again.map((m) => m.payload?.variables)).toEqual([
      { videoId, since: applied },
      { videoId, since: listOffset(view.list) },
    ]);
    expect(listOffset(view.list)).toMatch(OFFSET);
    expect(listOffset(view.list)).not.toEqual(applied);
    const refusal = messages('server', before).find(
      (m) => m.connection === again[0]!.connection && m.id === again[0]!.id && m.type === 'error',
    );
    expect(JSON.stringify(refusal?.payload)).toContain('EVENTS_EXPIRED');
    expect(subscribes(view.list, before)).toHaveLength(1);
  }

  await create(20, 'live again');
  await expect(panel.getByRole('article', { name: 'Note at 0:20' })).toContainText('live again');
});

test("a note made between the lists' reads and their streams' start is neither lost nor shown twice", async () => {
  test.setTimeout(120_000);
  await start();
  // The video and one note exist before anything is open: the lists answer that note.
  const { detectVideo } = await review.session.graphql<{ detectVideo: { id: string } }>(
    'mutation($input: DetectVideoInput!) { detectVideo(input: $input) { id } }',
    { input: { url: WATCH, title: WATCH_TITLE } },
  );
  const create = (timestampSeconds: number, text: string) =>
    review.session.graphql<{ createNote: { id: string } }>(
      `mutation($input: CreateNoteInput!) { createNote(input: $input) { id } }`,
      { input: { videoId: detectVideo.id, timestampSeconds, text } },
    );
  const listed = (await create(3, 'listed before')).createNote;

  // Each view's stream is held on its way to the server, after its list was read.
  proxy.hold(isStream);
  const { panel, video, videoId } = await openVideoAndPanel(review, 0);
  expect(videoId).toBe(detectVideo.id);
  const markers = async () =>
    ((await inspectOverlay(video))?.markers ?? []).map((m) => m.noteId).sort();
  const heldStreams = () =>
    proxy
      .held()
      .map((m) => /subscription (\w+)/.exec((m as Message).payload?.query ?? '')?.[1])
      .sort();
  await expect.poll(heldStreams, { timeout: 15_000 }).toEqual([PANEL.stream, WORKER.stream]);
  await expect(panel.getByRole('article', { name: 'Note at 0:03' })).toContainText('listed before');
  await expect.poll(markers).toEqual([listed.id]);

  // Made now: after both lists were read, before either stream reached the server.
  const between = (await create(7, 'made between the list and its stream')).createNote;
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await expect(panel.getByRole('article', { name: 'Note at 0:07' })).toHaveCount(0);
  expect(await markers()).toEqual([listed.id]);
  // Each held stream starts after the offset its list was read at.
  for (const view of [PANEL, WORKER]) {
    const stream = proxy
      .held()
      .find((m) => new RegExp(`subscription ${view.stream}\\b`).test((m as Message).payload?.query ?? ''));
    expect(listOffset(view.list)).toMatch(OFFSET);
    expect((stream as Message).payload?.variables).toEqual({ videoId, since: listOffset(view.list) });
  }

  proxy.release();
  await expect(panel.getByRole('article', { name: 'Note at 0:07' })).toContainText('made between', {
    timeout: 15_000,
  });
  await expect.poll(markers).toEqual([listed.id, between.id].sort());
  await expect(panel.getByRole('article', { name: 'Note at 0:03' })).toHaveCount(1);
  await expect(panel.getByRole('article', { name: 'Note at 0:07' })).toHaveCount(1);

  // And live from there.
  const live = (await create(12, 'live')).createNote;
  await expect(panel.getByRole('article', { name: 'Note at 0:12' })).toContainText('live');
  await expect.poll(markers).toEqual([listed.id, between.id, live.id].sort());

  // On the wire: each view read its list once and subscribed once; its stream brought the note
  // made in between once (a replay from the log), then the live one, and never the listed one.
  for (const view of [PANEL, WORKER]) {
    expect(subscribes(view.list)).toHaveLength(1);
    const [stream, ...more] = subscribes(view.stream);
    expect(more).toEqual([]);
    const created = answers(stream!)
      .map((m) => m.payload?.data?.noteEvents)
      .filter((event) => event?.__typename === 'NoteCreated')
      .map((event) => event?.note?.id);
    expect(created).toEqual([between.id, live.id]);
  }
});
