// A page whose video plays in a cross-origin iframe (an embedded player on a blog). The
// content script runs in every frame; the top frame chooses which frame speaks for the tab
// (the largest video wins), that frame reports its video and draws the markers inside
// itself, clicking one seeks the embedded video, and the other frames stay silent. Three
// hosts (the blog, the player, an ad) are mapped to one local server with Chromium's
// --host-resolver-rules, so each frame is its own site and process, as on the web. No Lossy
// server: the test sends the markers from the service worker itself.

import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { expect, test, type Frame, type Page } from '@playwright/test';

import { centre, inspectOverlay, lastVideo, recordMessages, seen, toTab, type Seen } from '../rig/content';
import { launchExtension, type ExtensionBrowser } from '../rig/extension';
import { GENERATED } from '../rig/paths';
import { serveFolder, type StaticServer } from '../rig/static';

const HOSTS = ['blog.example', 'player.example', 'ads.example'] as const;

let folder: string;
let files: StaticServer;
let browser: ExtensionBrowser;

const at = (host: (typeof HOSTS)[number], file: string) => `http://${host}:${new URL(files.origin).port}/${file}`;

// The blog: some text, a button of its own, the embedded player and a small ad that also
// plays a video. It counts its own clicks and errors, to show it keeps working.
const post = () => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A blog post with a video</title></head>
<body style="margin:0;padding:16px 24px;font:15px Georgia, serif;background:#fffdf7">
  <h1 style="margin:0 0 8px">Our new short film</h1>
  <p>Here is the cut we showed on Friday. <button id="like">Like</button> <span id="likes">0</span></p>
  <div style="display:flex;gap:16px;align-items:flex-start">
    <iframe id="player" src="${at('player.example', 'embed.html')}" title="Film player"
      width="560" height="315" style="border:0;display:block" allow="autoplay; fullscreen"></iframe>
    <iframe id="ad" src="${at('ads.example', 'ad.html')}" title="Advertisement"
      width="200" height="120" style="border:0;display:block"></iframe>
  </div>
  <script>
    window.pageErrors = [];
    window.addEventListener('error', (event) => pageErrors.push(String(event.message)));
    document.getElementById('like').addEventListener('click', () => {
      const likes = document.getElementById('likes');
      likes.textContent = String(Number(likes.textContent) + 1);
    });
  </script>
</body></html>`;

const EMBED = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Our new short film (player)</title></head>
<body style="margin:0;background:#000">
  <video id="film" src="clip.webm" muted preload="auto" style="width:560px;height:315px;display:block"></video>
</body></html>`;

const AD = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ad</title></head>
<body style="margin:0;background:#eee">
  <video id="ad-video" src="clip.webm" muted preload="auto" style="width:160px;height:90px;display:block"></video>
</body></html>`;

test.beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'lossy-e2e-frames-'));
  copyFileSync(path.join(GENERATED, 'clip.webm'), path.join(folder, 'clip.webm'));
  writeFileSync(path.join(folder, 'embed.html'), EMBED);
  writeFileSync(path.join(folder, 'ad.html'), AD);
  files = await serveFolder(folder);
  writeFileSync(path.join(folder, 'post.html'), post());
});

test.afterAll(async () => {
  await files.close();
  rmSync(folder, { recursive: true, force: true });
});

test.beforeEach(async () => {
  browser = await launchExtension({
    args: [`--host-resolver-rules=${HOSTS.map((host) => `MAP ${host} 127.0.0.1`).join(', ')}`],
  });
  await recordMessages(browser.worker);
});

test.afterEach(async () => {
  await browser.close();
});

function frameOf(page: Page, host: string): Frame {
  const frame = page.frames().find((f) => new URL(f.url()).hostname === host);
  if (!frame) throw new Error(`no frame from ${host}`);
  return frame;
}

const videoReports = async (): Promise<Seen[]> =>
  (await seen(browser.worker)).filter((s) => s.message.kind === 'page/video');

test('the embedded player’s frame reports its video, draws the markers and seeks', async ({}, testInfo) => {
  const { worker } = browser;
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 860, height: 480 });
  await page.goto(at('blog.example', 'post.html'));

  // The player's frame speaks for the tab, with its own address and title.
  await expect.poll(async () => (await lastVideo(worker))?.message.video ?? null).toMatchObject({
    url: at('player.example', 'embed.html'),
    title: 'Our new short film (player)',
    durationSeconds: expect.closeTo(30, 0),
    pageInstanceId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
  });
  // A plain-http page is no secure context: no crypto.randomUUID there, and the content
  // script made its UUID without it.
  expect(await page.evaluate(() => typeof crypto.randomUUID)).toBe('undefined');
  const report = await lastVideo(worker);
  expect(report?.frameId).not.toBe(0);
  expect(report?.url).toBe(at('player.example', 'embed.html'));
  const tabId = report?.tabId;
  if (typeof tabId !== 'number') throw new Error('no tab id');
  // The blog has no video of its own: its frame said nothing.
  expect((await videoReports()).filter((s) => s.frameId === 0)).toEqual([]);

  await toTab(worker, tabId, {
    kind: 'page/markers',
    markers: [
      { noteId: 'n-early', seconds: 4, category: 'AUDIO', text: 'Hum under the voice' },
      { noteId: 'n-late', seconds: 21, category: 'COLOR', text: 'Grade this shot warmer' },
    ],
  });
  const player = frameOf(page, 'player.example');
  await expect
    .poll(async () => (await inspectOverlay(player))?.markers.map((m) => m.label) ?? [])
    .toEqual(['Note at 0:04 — Audio: Hum under the voice', 'Note at 0:21 — Color: Grade this shot warmer']);
  // Drawn inside the player's frame only.
  expect(await inspectOverlay(page)).toBeNull();
  expect(await inspectOverlay(frameOf(page, 'ads.example'))).toBeNull();

  const frameBox = await page.locator('#player').boundingBox();
  if (!frameBox) throw new Error('no frame box');
  const view = await inspectOverlay(player);
  const late = view?.markers.find((m) => m.noteId === 'n-late');
  if (!late) throw new Error('no marker');
  // Over the bottom of the embedded video, at its time.
  expect(late.box.y + late.box.height).toBeCloseTo(315, 0);
  expect(centre(late.box).x).toBeCloseTo((21 / 30) * 560, -1);
  const point = centre(late.box, frameBox);
  await page.mouse.move(point.x, point.y);
  await expect.poll(async () => (await inspectOverlay(player))?.cards.length).toBe(1);
  await page.screenshot({ path: testInfo.outputPath('embedded-player-markers.png') });
  await testInfo.attach('embedded-player-markers', {
    path: testInfo.outputPath('embedded-player-markers.png'),
    contentType: 'image/png',
  });
  await page.mouse.click(point.x, point.y);
  const filmTime = () => player.evaluate(() => (document.getElementById('film') as HTMLVideoElement).currentTime);
  await expect.poll(filmTime).toBeCloseTo(21, 0);
  await expect
    .poll(async () => (await seen(worker)).find((s) => s.message.kind === 'page/marker-clicked')?.frameId)
    .toBe(report?.frameId);

  // The worker's questions and commands reach every frame; the player's answers.
  expect(await toTab(worker, tabId, { kind: 'page/playhead' })).toEqual({
    seconds: expect.closeTo(21, 0),
    playing: false,
  });
  await toTab(worker, tabId, { kind: 'page/seek', seconds: 7 });
  await expect.poll(filmTime).toBeCloseTo(7, 0);
  // The ad's video was not moved by any of it.
  const adTime = await frameOf(page, 'ads.example').evaluate(
    () => (document.getElementById('ad-video') as HTMLVideoElement).currentTime,
  );
  expect(adTime).toBe(0);

  // The blog never broke, and its own button still works.
  await page.locator('#like').click();
  await expect(page.locator('#likes')).toHaveText('1');
  expect(await page.evaluate(() => (window as unknown as { pageErrors: string[] }).pageErrors)).toEqual([]);

  // The reader removes the player: the ad's video, now the largest, speaks for the tab.
  await page.evaluate(() => document.getElementById('player')?.remove());
  await expect.poll(async () => (await lastVideo(worker))?.url).toBe(at('ads.example', 'ad.html'));
  await toTab(worker, tabId, {
    kind: 'page/markers',
    markers: [{ noteId: 'n-ad', seconds: 15, category: 'GENERAL', text: 'On the ad now' }],
  });
  await expect.poll(async () => (await inspectOverlay(frameOf(page, 'ads.example')))?.markers.length ?? 0).toBe(1);

  // And without any video left, the blog's frame tells the worker so.
  await page.evaluate(() => document.getElementById('ad')?.remove());
  await expect.poll(async () => (await lastVideo(worker))?.frameId).toBe(0);
  expect((await lastVideo(worker))?.message.video).toBeNull();
});

const OWN = () => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A page with its own film</title></head>
<body style="margin:0">
  <video id="own" src="clip.webm" muted preload="auto" style="width:640px;height:360px;display:block"></video>
  <iframe id="player" src="${at('player.example', 'embed.html')}" title="Film player"
    width="560" height="315" style="border:0;display:block"></iframe>
</body></html>`;

test('a larger video of the page’s own wins over an embedded one', async () => {
  writeFileSync(path.join(folder, 'own.html'), OWN());
  const { worker } = browser;
  const page = await browser.context.newPage();
  await page.goto(at('blog.example', 'own.html'));
  await expect.poll(async () => (await lastVideo(worker))?.message.video?.url).toBe(at('blog.example', 'own.html'));
  const tabId = (await lastVideo(worker))?.tabId;
  if (typeof tabId !== 'number') throw new Error('no tab id');
  await toTab(worker, tabId, {
    kind: 'page/markers',
    markers: [{ noteId: 'n1', seconds: 12, category: 'PACING', text: 'Trim the pause' }],
  });
  await expect.poll(async () => (await inspectOverlay(page))?.markers.length ?? 0).toBe(1);
  expect(await inspectOverlay(frameOf(page, 'player.example'))).toBeNull();
  // The page's own video speaks for the tab (the embed may have, while the page's video was
  // still loading).
  expect((await lastVideo(worker))?.frameId).toBe(0);
  await toTab(worker, tabId, { kind: 'page/seek', seconds: 9 });
  await expect
    .poll(() => page.evaluate(() => (document.getElementById('own') as HTMLVideoElement).currentTime))
    .toBeCloseTo(9, 0);
  expect(
    await frameOf(page, 'player.example').evaluate(
      () => (document.getElementById('film') as HTMLVideoElement).currentTime,
    ),
  ).toBe(0);
});
