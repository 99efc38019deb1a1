// A DRM-protected video: Encrypted Media Extensions with Clear Key (built into Chromium),
// the stream encrypted with Common Encryption at test time (rig/drm.ts) and played through
// Media Source Extensions, as DRM players do. The extension detects it, draws its markers and
// seeks it, and the page keeps playing; a video the page cannot decrypt (its licence refused)
// breaks nothing either. No Lossy server: the test sends the markers from the worker itself.

import { expect, test, type Page } from '@playwright/test';

import { centre, inspectOverlay, lastVideo, recordMessages, toTab } from '../rig/content';
import { base64url, CENC_TYPE, CLEAR_KEY, makeEncryptedClip } from '../rig/drm';
import { launchExtension, type ExtensionBrowser } from '../rig/extension';
import { GENERATED } from '../rig/paths';
import { serveFolder, type StaticServer } from '../rig/static';

/** A player page: Clear Key, then the encrypted clip through MSE; `key` null: no licence. */
const playerPage = (key: string | null) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Protected screening</title></head>
<body style="margin:0;padding:24px;background:#111;color:#eee;font:14px sans-serif">
  <video id="film" muted playsinline style="width:640px;height:360px;display:block;background:#000"></video>
  <p id="status">Loading…</p>
  <script>
    const KEY_ID = ${JSON.stringify(base64url(CLEAR_KEY.keyId))};
    const KEY = ${JSON.stringify(key)};
    const TYPE = ${JSON.stringify(CENC_TYPE)};
    window.pageLog = [];
    const video = document.getElementById('film');
    const status = (text) => {
      document.getElementById('status').textContent = text;
      pageLog.push(text);
    };
    for (const type of ['encrypted', 'waitingforkey', 'playing', 'error']) {
      video.addEventListener(type, () => pageLog.push(type));
    }
    window.addEventListener('error', (event) => pageLog.push('page error: ' + event.message));
    (async () => {
      const access = await navigator.requestMediaKeySystemAccess('org.w3.clearkey', [
        { initDataTypes: ['keyids'], videoCapabilities: [{ contentType: TYPE }] },
      ]);
      const keys = await access.createMediaKeys();
      await video.setMediaKeys(keys);
      const session = keys.createSession();
      session.addEventListener('message', async (event) => {
        if (!KEY) {
          status('Your licence for this video was refused.');
          return;
        }
        const request = JSON.parse(new TextDecoder().decode(event.message));
        const answer = { keys: request.kids.map((kid) => ({ kty: 'oct', kid, k: KEY })) };
        await session.update(new TextEncoder().encode(JSON.stringify(answer)));
        status('Licensed.');
      });
      await session.generateRequest('keyids', new TextEncoder().encode(JSON.stringify({ kids: [KEY_ID] })));
      const source = new MediaSource();
      video.src = URL.createObjectURL(source);
      await new Promise((resolve) => source.addEventListener('sourceopen', resolve, { once: true }));
      const buffer = source.addSourceBuffer(TYPE);
      buffer.appendBuffer(await (await fetch('clip-cenc.mp4')).arrayBuffer());
      await new Promise((resolve) => buffer.addEventListener('updateend', resolve, { once: true }));
      source.endOfStream();
      video.play().catch((error) => pageLog.push('play refused: ' + error.name));
    })().catch((error) => status('The player failed: ' + error));
  </script>
</body></html>`;

const MARKERS = [
  { noteId: 'n-early', seconds: 5, category: 'AUDIO', text: 'Hum under the voice' },
  { noteId: 'n-late', seconds: 20, category: 'COLOR', text: 'Grade this shot warmer' },
];

/** `HTMLMediaElement.HAVE_METADATA`: metadata, but no frame to show. */
const HAVE_METADATA = 1;

let media: StaticServer;
let browser: ExtensionBrowser;

test.beforeAll(async () => {
  makeEncryptedClip(GENERATED);
  media = await serveFolder(GENERATED);
});

test.afterAll(async () => {
  await media.close();
});

test.beforeEach(async () => {
  browser = await launchExtension();
  await recordMessages(browser.worker);
  await browser.context.route(media.url('drm-licensed.html'), (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: playerPage(base64url(CLEAR_KEY.key)) }),
  );
  await browser.context.route(media.url('drm-refused.html'), (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: playerPage(null) }),
  );
});

test.afterEach(async () => {
  await browser.close();
});

interface Film {
  currentTime: number;
  paused: boolean;
  error: string | null;
  readyState: number;
  frames: number;
  encrypted: boolean;
  log: string[];
}

const film = (page: Page): Promise<Film> =>
  page.evaluate(() => {
    const video = document.getElementById('film') as HTMLVideoElement;
    return {
      currentTime: video.currentTime,
      paused: video.paused,
      error: video.error ? video.error.message : null,
      readyState: video.readyState,
      frames: video.getVideoPlaybackQuality().totalVideoFrames,
      encrypted: video.mediaKeys !== null,
      log: (window as unknown as { pageLog: string[] }).pageLog,
    };
  });

/** Opens a player page, waits for its video's report and sends the markers. */
async function open(file: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 720, height: 480 });
  await page.goto(media.url(file));
  await expect.poll(async () => (await lastVideo(browser.worker))?.message.video ?? null).toMatchObject({
    url: media.url(file),
    title: 'Protected screening',
    durationSeconds: expect.closeTo(30, 0),
  });
  const tabId = (await lastVideo(browser.worker))?.tabId;
  if (typeof tabId !== 'number') throw new Error('no tab id');
  await toTab(browser.worker, tabId, { kind: 'page/markers', markers: MARKERS });
  await expect
    .poll(async () => (await inspectOverlay(page))?.markers.map((m) => m.noteId) ?? [])
    .toEqual(['n-early', 'n-late']);
  return page;
}

async function clickMarker(page: Page, noteId: string): Promise<void> {
  const marker = (await inspectOverlay(page))?.markers.find((m) => m.noteId === noteId);
  if (!marker) throw new Error(`no marker ${noteId}`);
  const point = centre(marker.box);
  await page.mouse.click(point.x, point.y);
}

test('a Clear Key protected video is detected, gets its markers, seeks and keeps playing', async ({}, testInfo) => {
  const page = await open('drm-licensed.html');
  // It plays, decrypted: frames are decoded and time moves.
  await expect.poll(async () => (await film(page)).frames).toBeGreaterThan(0);
  await expect.poll(async () => (await film(page)).currentTime).toBeGreaterThan(0.5);
  expect((await film(page)).encrypted).toBe(true);

  await clickMarker(page, 'n-late');
  await expect.poll(async () => (await film(page)).currentTime).toBeGreaterThanOrEqual(20);
  // And it goes on playing from there, decrypting.
  const after = (await film(page)).frames;
  await expect.poll(async () => (await film(page)).currentTime).toBeGreaterThan(20.5);
  await expect.poll(async () => (await film(page)).frames).toBeGreaterThan(after);
  const state = await film(page);
  expect(state.paused).toBe(false);
  expect(state.error).toBeNull();
  expect(state.log).toContain('Licensed.');
  expect(state.log.filter((line) => line.startsWith('page error') || line.startsWith('The player failed'))).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath('drm-licensed.png') });
  await testInfo.attach('drm-licensed', { path: testInfo.outputPath('drm-licensed.png'), contentType: 'image/png' });
});

test('a protected video the page cannot decrypt breaks nothing', async ({}, testInfo) => {
  const page = await open('drm-refused.html');
  // No licence: the browser waits for a key and decodes nothing (the stream is encrypted).
  await expect.poll(async () => (await film(page)).log).toContain('Your licence for this video was refused.');
  await expect.poll(async () => (await film(page)).log).toContain('waitingforkey');
  let state = await film(page);
  expect(state.frames).toBe(0);
  expect(state.readyState).toBeLessThanOrEqual(HAVE_METADATA);

  // The markers still seek: the playhead moves to the note's time.
  await clickMarker(page, 'n-late');
  await expect.poll(async () => (await film(page)).currentTime).toBeCloseTo(20, 0);
  const tabId = (await lastVideo(browser.worker))?.tabId ?? -1;
  expect(await toTab(browser.worker, tabId, { kind: 'page/playhead' })).toMatchObject({
    seconds: expect.closeTo(20, 0),
  });
  state = await film(page);
  expect(state.error).toBeNull();
  expect(state.log.filter((line) => line.startsWith('page error') || line.startsWith('The player failed'))).toEqual([]);
  // The page still shows its own word on it.
  await expect(page.locator('#status')).toHaveText('Your licence for this video was refused.');
  await page.screenshot({ path: testInfo.outputPath('drm-refused.png') });
  await testInfo.attach('drm-refused', { path: testInfo.outputPath('drm-refused.png'), contentType: 'image/png' });
});
