// A reviewer's session with the whole extension against a real server: signed in through the
// web app, on a YouTube watch page (served locally at YouTube's address), the side panel and
// the video's timeline show the notes, typed notes land at the playhead, and edits and
// deletions made in the side panel reach the server.

import { readFileSync } from 'node:fs';
import path from 'node:path';

import { expect, test, type Page } from '@playwright/test';

import { newUser, type WebSession } from '../rig/api';
import { DEV_EXTENSION_ID, launchExtension, markerButtons, type ExtensionBrowser } from '../rig/extension';
import { GENERATED } from '../rig/paths';
import { startServer, type LossyServer } from '../rig/server';
import { fulfillRanged } from '../rig/static';

const WATCH = 'https://www.youtube.com/watch?v=aqz-KE-bpKQ';
const CLIP = 'https://www.youtube.com/lossy-test/clip.webm';

// YouTube's address is answered by the test (no network here): a page with one video.
const WATCH_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Big Buck Bunny - YouTube</title></head>
<body style="margin:0">
  <div id="player" style="width:640px;height:360px;margin:24px">
    <video id="movie" src="${CLIP}" style="width:640px;height:360px" muted preload="auto"></video>
  </div>
</body></html>`;

interface NotesAnswer {
  notes: { nodes: { id: string; text: string; timestampSeconds: number; status: string; deletedAt: string | null }[] };
}

async function serverNotes(session: WebSession, videoId: string) {
  const answer = await session.graphql<NotesAnswer>(
    `query($id: ID!) { notes(videoId: $id, filter: { includeDeleted: true }) {
       nodes { id text timestampSeconds status deletedAt } } }`,
    { id: videoId },
  );
  return answer.notes.nodes;
}

const clip = readFileSync(path.join(GENERATED, 'clip.webm'));


let server: LossyServer;
let browser: ExtensionBrowser;
let session: WebSession;

test.beforeEach(async () => {
  server = await startServer({
    env: { LOSSY_ALLOWED_ORIGINS: `chrome-extension://${DEV_EXTENSION_ID}` },
  });
  browser = await launchExtension();
  await browser.context.route(WATCH, (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: WATCH_PAGE }),
  );
  await browser.context.route(CLIP, (route) => fulfillRanged(route, clip));
  ({ session } = await newUser(server));
  // Signed in to the web app in this browser: the extension's sign-in rides on it.
  await browser.context.addCookies([
    {
      name: 'lossy_session',
      value: session.cookieValue,
      domain: '127.0.0.1',
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
    },
  ]);
});

test.afterEach(async () => {
  await browser.close();
  await server.stop();
});

/** Points the extension at the test server from its popup, as a reviewer would. */
async function connect(): Promise<void> {
  const popup = await browser.context.newPage();
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  await popup.getByLabel('Server').fill(server.origin);
  await popup.getByRole('button', { name: 'Save' }).click();
  await expect(popup.getByText('Connected', { exact: false }).first()).toBeVisible({ timeout: 15_000 });
  await popup.close();
}

/** The video page, then the side panel (opened as a tab, it keeps following the video tab). */
async function openVideoAndPanel(): Promise<{ video: Page; panel: Page; videoId: string }> {
  const panel = await browser.context.newPage();
  await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
  const video = await browser.context.newPage();
  await video.goto(WATCH);
  await video.bringToFront();
  const detected = await expect
    .poll(
      async () => {
        const { videos } = await session.graphql<{
          videos: { nodes: { id: string; platform: string; externalId: string }[] };
        }>('{ videos { nodes { id platform externalId } } }');
        return videos.nodes[0] ?? null;
      },
      { timeout: 15_000 },
    )
    .toMatchObject({ platform: 'youtube', externalId: 'aqz-KE-bpKQ' })
    .then(async () => {
      const { videos } = await session.graphql<{ videos: { nodes: { id: string }[] } }>(
        '{ videos { nodes { id } } }',
      );
      return videos.nodes[0]!.id;
    });
  await expect(panel.getByRole('heading', { level: 1 })).toHaveText('Big Buck Bunny - YouTube', {
    timeout: 10_000,
  });
  return { video, panel, videoId: detected };
}

test('notes from elsewhere appear in the side panel and on the timeline within a second', async ({}, testInfo) => {
  await connect();
  const { video, panel, videoId } = await openVideoAndPanel();

  await session.graphql(
    `mutation($input: CreateNoteInput!) { createNote(input: $input) { id } }`,
    { input: { videoId, timestampSeconds: 12, text: 'the music is too loud here', category: 'AUDIO' } },
  );
  await expect(panel.getByRole('article', { name: 'Note at 0:12' })).toContainText(
    'the music is too loud here',
    { timeout: 1_000 },
  );
  await expect
    .poll(async () => (await markerButtons(video)).map((b) => b.name), { timeout: 1_000 })
    .toEqual([expect.stringMatching(/^Note at 0:12/)]);

  await panel.screenshot({ path: testInfo.outputPath('sidepanel-notes.png'), fullPage: true });
  await video.screenshot({ path: testInfo.outputPath('video-markers.png') });
});

test('a typed note lands at the playhead; edits and deletions reach the server', async () => {
  await connect();
  const { video, panel, videoId } = await openVideoAndPanel();
  const movie = video.locator('#movie');
  await expect.poll(() => movie.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThan(0);
  await movie.evaluate((v: HTMLVideoElement) => {
    v.currentTime = 7;
  });
  await expect.poll(() => movie.evaluate((v: HTMLVideoElement) => v.currentTime)).toBe(7);

  await panel.getByLabel('Note at the current time').fill('cut this pause shorter');
  await panel.getByRole('button', { name: 'Add', exact: true }).click();
  const typed = panel.getByRole('article', { name: 'Note at 0:07' });
  await expect(typed).toContainText('cut this pause shorter');
  await expect
    .poll(async () => (await serverNotes(session, videoId)).map((n) => [n.text, Math.round(n.timestampSeconds)]))
    .toEqual([['cut this pause shorter', 7]]);

  await typed.getByRole('button', { name: 'Edit the note at 0:07' }).click();
  const text = panel.getByLabel('Text');
  await text.fill('cut this pause much shorter');
  await text.press('Enter');
  await expect.poll(async () => (await serverNotes(session, videoId))[0]?.text).toBe('cut this pause much shorter');

  await typed.getByRole('button', { name: 'Delete the note at 0:07' }).click();
  await expect.poll(async () => (await serverNotes(session, videoId))[0]?.deletedAt ?? null).not.toBeNull();
  await expect(panel.getByRole('article', { name: 'Note at 0:07' })).toHaveCount(0);
});

test('a settings change in the side panel round-trips through the server', async () => {
  await connect();
  const { panel } = await openVideoAndPanel();
  await panel.getByRole('button', { name: 'Settings' }).click();
  const cooldown = panel.getByLabel('Quiet time after a note (milliseconds)');
  await expect(cooldown).toHaveValue('500');
  await cooldown.fill('750');
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect
    .poll(async () => (await session.graphql<{ settings: { cooldownMs: number } }>('{ settings { cooldownMs } }')).settings.cooldownMs)
    .toBe(750);

  // Changed elsewhere (the web app): the panel follows.
  await session.graphql('mutation { updateSettings(input: { cooldownMs: 900 }) { version } }');
  await expect(cooldown).toHaveValue('900');
});

test('when another browser takes the video, the panel says so and can take it back', async () => {
  await connect();
  const { panel, videoId } = await openVideoAndPanel();
  const owner = async () =>
    (
      await session.graphql<{ videoContext: { owner: { deviceId: string } | null } | null }>(
        '{ videoContext { owner { deviceId } } }',
      )
    ).videoContext?.owner?.deviceId ?? null;
  // The extension claims the video for the tab the reviewer is on.
  await expect.poll(owner, { timeout: 10_000 }).not.toBeNull();
  const ours = await owner();
  await expect(panel.getByRole('region', { name: 'Video taken by another tab' })).toHaveCount(0);

  // Another browser of the reviewer claims it (the last active tab wins).
  const other = await session.connectDevice('Laptop Chrome');
  await other.graphql(
    `mutation($input: ClaimVideoContextInput!) { claimVideoContext(input: $input) { claimedAt } }`,
    { input: { videoId, tabId: 1, pageInstanceId: 'other-browser', currentUrl: WATCH } },
  );
  const banner = panel.getByRole('region', { name: 'Video taken by another tab' });
  await expect(banner).toBeVisible();
  // Read-only meanwhile: no typing notes onto a video another tab is reviewing.
  await expect(panel.getByRole('form', { name: 'New note' })).toHaveCount(0);

  await banner.getByRole('button', { name: 'Take over' }).click();
  await expect(banner).toHaveCount(0);
  await expect.poll(owner).toBe(ours);
});

test('with the server down, a typed note, an edit and a deletion wait, survive a browser restart, and land once', async () => {
  test.setTimeout(150_000);
  await connect();
  const { video, panel, videoId } = await openVideoAndPanel();
  for (const [seconds, text] of [
    [3, 'the logo is misaligned'],
    [9, 'this shot is too dark'],
  ] as const) {
    await session.graphql(
      `mutation($input: CreateNoteInput!) { createNote(input: $input) { id } }`,
      { input: { videoId, timestampSeconds: seconds, text } },
    );
  }
  await expect(panel.getByRole('article', { name: 'Note at 0:09' })).toBeVisible();
  const movie = video.locator('#movie');
  await expect.poll(() => movie.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThan(0);
  await movie.evaluate((v: HTMLVideoElement) => {
    v.currentTime = 15;
  });

  await server.halt();
  await panel.getByLabel('Note at the current time').fill('typed while offline');
  await panel.getByRole('button', { name: 'Add', exact: true }).click();
  const edited = panel.getByRole('article', { name: 'Note at 0:03' });
  await edited.getByRole('button', { name: 'Edit the note at 0:03' }).click();
  await panel.getByLabel('Text').fill('the logo is misaligned by a few pixels');
  await panel.getByLabel('Text').press('Enter');
  await panel
    .getByRole('article', { name: 'Note at 0:09' })
    .getByRole('button', { name: 'Delete the note at 0:09' })
    .click();
  await expect(panel.getByText(/Waiting|waiting/).first()).toBeVisible();

  // The browser (and so the service worker) restarts while the server is still down.
  await browser.restart();
  await server.resume();

  await expect
    .poll(
      async () => {
        const notes = await serverNotes(session, videoId);
        return notes
          .map((n) => `${Math.round(n.timestampSeconds)} ${n.text}${n.deletedAt ? ' (deleted)' : ''}`)
          .sort();
      },
      { timeout: 90_000, intervals: [1000] },
    )
    .toEqual([
      '15 typed while offline',
      '3 the logo is misaligned by a few pixels',
      '9 this shot is too dark (deleted)',
    ]);
  // Exactly once: nothing more arrives after the outbox drained.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect(await serverNotes(session, videoId)).toHaveLength(3);
});

test('revoking the browser from the web app signs the extension out, and says why', async () => {
  await connect();
  const { panel } = await openVideoAndPanel();
  const { devices } = await session.graphql<{ devices: { id: string; revokedAt: string | null }[] }>(
    '{ devices { id revokedAt } }',
  );
  expect(devices).toHaveLength(1);
  await session.graphql('mutation($id: ID!) { revokeDevice(id: $id) { id } }', { id: devices[0]!.id });

  // The server closes the socket (4403); the refresh that follows is refused for a revoked
  // device, and the panel says what happened and offers to sign in again.
  await expect(panel.getByText('This browser was disconnected from your Lossy account')).toBeVisible({
    timeout: 15_000,
  });
  await panel.getByRole('button', { name: 'Sign in' }).click();
  // Still signed in to the web app: the browser connects again as a new device.
  await expect(panel.getByRole('region', { name: 'Notes' })).toBeVisible({ timeout: 15_000 });
  await expect
    .poll(async () => {
      const answer = await session.graphql<{ devices: { revokedAt: string | null }[] }>(
        '{ devices { revokedAt } }',
      );
      return answer.devices.map((d) => (d.revokedAt ? 'revoked' : 'live')).sort();
    })
    .toEqual(['live', 'revoked']);
});
