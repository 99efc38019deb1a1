// The content script in a real page: it reports the page's main video to the service worker,
// draws the worker's markers in an overlay that seek the video when clicked, answers the
// playhead, and follows a single-page navigation. No Lossy server is needed: the test listens
// to the worker's messages and sends it the markers itself.

import { expect, test } from '@playwright/test';

import { lastVideo, recordMessages, seen, toTab } from '../rig/content';
import { launchExtension, markerButtons, type ExtensionBrowser } from '../rig/extension';
import { GENERATED } from '../rig/paths';
import { serveFolder, type StaticServer } from '../rig/static';

const FIXTURE = 'content-fixture.html';

// A small preview video and the main one inside a container that clips (overflow:hidden), and
// a page that breaks Element.prototype methods, as some do.
const HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Content fixture</title>
<style>
  body { margin: 0; font: 14px sans-serif; }
  .clip { overflow: hidden; width: 480px; height: 270px; margin: 40px; }
  #main { width: 480px; height: 270px; display: block; }
  #preview { width: 160px; height: 90px; }
</style></head>
<body>
  <video id="preview" src="clip.webm" muted preload="auto"></video>
  <div class="clip"><video id="main" src="clip.webm" preload="auto" muted></video></div>
  <script>
    Element.prototype.querySelectorAll = function () { throw new Error('page override'); };
    Element.prototype.getBoundingClientRect = function () { return new DOMRect(0, 0, 0, 0); };
  </script>
</body>
</html>`;

let browser: ExtensionBrowser;
let media: StaticServer;

test.beforeAll(async () => {
  media = await serveFolder(GENERATED);
});

test.afterAll(async () => {
  await media.close();
});

test.beforeEach(async () => {
  browser = await launchExtension();
  await recordMessages(browser.worker);
  await browser.context.route(media.url(FIXTURE), (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: HTML }),
  );
});

test.afterEach(async () => {
  await browser.close();
});

test('reports the main video, draws markers that seek it, and follows navigations', async () => {
  const { worker } = browser;
  const page = await browser.context.newPage();
  await page.goto(media.url(FIXTURE));

  // The larger of the two videos, with its duration, despite the page's broken prototypes.
  await expect.poll(async () => (await lastVideo(worker))?.message.video ?? null).toMatchObject({
    url: media.url(FIXTURE),
    title: 'Content fixture',
    durationSeconds: expect.closeTo(30, 0),
    pageInstanceId: expect.stringMatching(/^[0-9a-f-]{36}$/),
  });
  const tabId = (await lastVideo(worker))?.tabId;
  expect(tabId).toEqual(expect.any(Number));
  if (typeof tabId !== 'number') return;

  await toTab(worker, tabId, {
    kind: 'page/markers',
    markers: [
      { noteId: 'n-audio', seconds: 6, category: 'AUDIO', text: 'Hum under the voice' },
      { noteId: 'n-pacing', seconds: 20, category: 'PACING', text: 'Cut this pause' },
    ],
  });
  await expect
    .poll(async () => (await markerButtons(page)).map((b) => b.name))
    .toEqual([
      'Note at 0:06 — Audio: Hum under the voice',
      'Note at 0:20 — Pacing: Cut this pause',
    ]);
  // The overlay hangs on <html>, where the clipping container cannot cut it.
  expect(
    await page.evaluate(() =>
      Array.from(document.documentElement.children).some((e) => e.localName === 'lossy-markers'),
    ),
  ).toBe(true);

  // Over the video's bottom strip (a 24 px high hit area), in time order from left to right.
  const main = await page.locator('#main').boundingBox();
  const buttons = await markerButtons(page);
  expect(main).not.toBeNull();
  if (!main) return;
  for (const button of buttons) {
    expect(button.x).toBeGreaterThan(main.x);
    expect(button.x).toBeLessThan(main.x + main.width);
    expect(button.y).toBeGreaterThan(main.y + main.height - 24);
    expect(button.y).toBeLessThan(main.y + main.height);
  }
  expect(buttons[1]?.x).toBeCloseTo(main.x + (20 / 30) * main.width, -1);

  const pacing = buttons[1];
  if (!pacing) return;
  await page.mouse.click(pacing.x, pacing.y);
  await expect
    .poll(() => page.evaluate(() => (document.getElementById('main') as HTMLVideoElement).currentTime))
    .toBeCloseTo(20, 0);
  await expect
    .poll(async () => (await seen(worker)).some((s) => s.message.kind === 'page/marker-clicked' && s.message.noteId === 'n-pacing'))
    .toBe(true);

  expect(await toTab(worker, tabId, { kind: 'page/playhead' })).toEqual({
    seconds: expect.closeTo(20, 0),
    playing: false,
  });
  await toTab(worker, tabId, { kind: 'page/seek', seconds: 3 });
  await expect
    .poll(() => page.evaluate(() => (document.getElementById('main') as HTMLVideoElement).currentTime))
    .toBeCloseTo(3, 0);

  // A single-page navigation: the video is reported again with the new address, and the
  // previous video's markers are gone until the worker sends the new ones.
  await page.evaluate(() => history.pushState(null, '', '?v=second'));
  await expect
    .poll(async () => (await lastVideo(worker))?.message.video?.url)
    .toBe(`${media.url(FIXTURE)}?v=second`);
  await expect.poll(async () => (await markerButtons(page)).length).toBe(0);

  // The video goes away: the worker hears null.
  await page.evaluate(() => {
    document.getElementById('main')?.remove();
    document.getElementById('preview')?.remove();
  });
  await expect.poll(async () => (await lastVideo(worker))?.message.video).toBeNull();
});

const SHADOW_FIXTURE = 'content-shadow-fixture.html';

// The player builds its video inside an open shadow root, and later swaps the element for a
// new, larger one (as players do between an ad and the programme).
const SHADOW_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Shadow player</title></head>
<body style="margin: 0">
  <div id="player"></div>
  <script>
    const root = document.getElementById('player').attachShadow({ mode: 'open' });
    window.swapVideo = (width, height) => {
      const video = document.createElement('video');
      video.src = 'clip.webm';
      video.muted = true;
      video.preload = 'auto';
      video.style.cssText = 'display:block;width:' + width + 'px;height:' + height + 'px;margin:20px';
      root.replaceChildren(video);
    };
    swapVideo(320, 180);
  </script>
</body>
</html>`;

test('finds a video in an open shadow root and moves the markers when it is swapped', async () => {
  const { worker } = browser;
  await browser.context.route(media.url(SHADOW_FIXTURE), (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: SHADOW_HTML }),
  );
  const page = await browser.context.newPage();
  await page.goto(media.url(SHADOW_FIXTURE));
  await expect
    .poll(async () => (await lastVideo(worker))?.message.video ?? null)
    .toMatchObject({ title: 'Shadow player', durationSeconds: expect.closeTo(30, 0) });
  const tabId = (await lastVideo(worker))?.tabId;
  if (typeof tabId !== 'number') throw new Error('no tab id');
  await toTab(worker, tabId, {
    kind: 'page/markers',
    markers: [{ noteId: 'n-end', seconds: 30, category: 'COLOR', text: 'Grade the last shot' }],
  });

  const videoBox = () => page.locator('#player video').boundingBox();
  const rightEdgeOf = async () => {
    const box = await videoBox();
    return box ? box.x + box.width : 0;
  };
  // At the end of the video: near its right edge, its 24 px hit area whole on the strip.
  await expect.poll(async () => (await markerButtons(page)).map((b) => Math.round(b.x))).toEqual([
    Math.round((await rightEdgeOf()) - 12),
  ]);

  await page.evaluate(() => (window as unknown as { swapVideo(w: number, h: number): void }).swapVideo(640, 360));
  await expect.poll(async () => (await markerButtons(page)).map((b) => Math.round(b.x))).toEqual([
    Math.round((await rightEdgeOf()) - 12),
  ]);
  const box = await videoBox();
  expect(box?.width).toBe(640);
  const [marker] = await markerButtons(page);
  expect(marker?.y).toBeGreaterThan((box?.y ?? 0) + 360 - 24);
});
