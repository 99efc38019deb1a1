// The service worker against a real server: it gets its tokens through the web session, its
// socket connects, and a note typed while the server is down waits in the outbox, survives a
// restart of the extension and reaches the server exactly once.

import { randomUUID } from 'node:crypto';

import { expect, test, type Page } from '@playwright/test';

import { newUser } from '../rig/api';
import { DEV_EXTENSION_ID, launchExtension, type ExtensionBrowser } from '../rig/extension';
import { startServer, type LossyServer } from '../rig/server';

interface PanelState {
  server: string;
  auth: { kind: string; reason?: string; deviceId?: string };
  connection: string;
  waiting: number;
  features: Record<string, boolean>;
}

interface Probe {
  state: PanelState | null;
  messages: { kind: string }[];
  send(message: unknown): void;
}

/** Opens an extension page and a panel port on it, keeping the latest state it was pushed. */
async function panelPort(browser: ExtensionBrowser): Promise<Page> {
  const page = await browser.context.newPage();
  // Right after a reload the extension's pages are refused for a moment.
  await expect(async () => {
    await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  }).toPass({ timeout: 15_000 });
  await page.evaluate(() => {
    type Port = {
      onMessage: {
        addListener(listener: (message: { kind: string; state?: unknown }) => void): void;
      };
      postMessage(message: unknown): void;
    };
    const runtime = (
      globalThis as unknown as { chrome: { runtime: { connect(o: { name: string }): Port } } }
    ).chrome.runtime;
    const port = runtime.connect({ name: 'lossy-panel' });
    const probe: Probe = {
      state: null,
      messages: [],
      send: (message) => port.postMessage(message),
    };
    port.onMessage.addListener((message) => {
      probe.messages.push(message);
      if (message.kind === 'state') probe.state = message.state as PanelState;
    });
    (globalThis as unknown as { probe: Probe }).probe = probe;
  });
  return page;
}

function stateOf(page: Page): Promise<PanelState | null> {
  return page.evaluate(() => (globalThis as unknown as { probe: Probe }).probe.state);
}

function send(page: Page, message: unknown): Promise<void> {
  return page.evaluate((m) => (globalThis as unknown as { probe: Probe }).probe.send(m), message);
}

let server: LossyServer;
let browser: ExtensionBrowser;

test.beforeEach(async () => {
  server = await startServer({
    env: { LOSSY_ALLOWED_ORIGINS: `chrome-extension://${DEV_EXTENSION_ID}` },
  });
  browser = await launchExtension();
});

test.afterEach(async () => {
  await browser.close();
  await server.stop();
});

async function signedInAndConnected() {
  const { session } = await newUser(server);
  await browser.context.addCookies([
    {
      name: 'lossy_session',
      value: session.cookieValue,
      url: server.origin,
      httpOnly: true,
      sameSite: 'Lax',
    },
  ]);
  const page = await panelPort(browser);
  await send(page, { kind: 'server/set', server: server.origin });
  await expect
    .poll(async () => (await stateOf(page))?.connection, { timeout: 15_000 })
    .toBe('connected');
  return { session, page };
}

test('the worker gets a token through the web session and its socket connects', async () => {
  expect(browser.extensionId).toBe(DEV_EXTENSION_ID);
  const { session, page } = await signedInAndConnected();
  const state = await stateOf(page);
  expect(state?.server).toBe(server.origin);
  expect(state?.auth.kind).toBe('signed-in');
  // The handshake's flags reached the panels.
  expect(Object.keys(state?.features ?? {})).toContain('server_notes_channel');
  const { devices } = await session.graphql<{
    devices: { id: string; revokedAt: string | null }[];
  }>('{ devices { id revokedAt } }');
  expect(devices.map((d) => d.id)).toEqual([state?.auth.deviceId]);
});

test('a note typed while the server is down survives a restart and is sent exactly once', async () => {
  test.setTimeout(120_000);
  const { session, page } = await signedInAndConnected();
  const device = await session.connectDevice('seeding device');
  const video = await device.detectVideo(
    `http://127.0.0.1:9/fixture-${randomUUID()}.html`,
    'Outbox',
  );

  await server.halt();
  await expect.poll(async () => (await stateOf(page))?.connection).not.toBe('connected');
  const text = `typed offline ${randomUUID().slice(0, 8)}`;
  await send(page, {
    kind: 'outbox/add',
    write: {
      kind: 'createNote',
      key: randomUUID(),
      input: { videoId: video.id, text, timestampSeconds: 42.5 },
    },
  });
  await expect.poll(async () => (await stateOf(page))?.waiting).toBe(1);

  // Restart the browser on the same profile: a new service worker, the outbox only in
  // IndexedDB. (chrome.runtime.reload() leaves an extension loaded from the command line
  // disabled.)
  const before = browser.worker;
  await browser.restart();
  expect(browser.worker).not.toBe(before);
  const again = await panelPort(browser);
  await expect.poll(async () => (await stateOf(again))?.waiting, { timeout: 15_000 }).toBe(1);

  await server.resume();
  await expect.poll(async () => (await stateOf(again))?.waiting, { timeout: 45_000 }).toBe(0);
  const { notes } = await session.graphql<{
    notes: { edges: { node: { text: string; timestampSeconds: number } }[] };
  }>(
    'query($videoId: ID!) { notes(videoId: $videoId, filter: {includeDeleted: true}) { edges { node { text timestampSeconds } } } }',
    { videoId: video.id },
  );
  expect(notes.edges.map((edge) => edge.node)).toEqual([{ text, timestampSeconds: 42.5 }]);
});
