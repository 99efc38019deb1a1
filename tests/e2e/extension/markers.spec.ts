// The markers as a reviewer meets them: visible ticks coloured by category with 24 px hit
// areas, a card with the note on hover and on keyboard focus that stays on screen at the
// video's edges, notes at one moment grouped and each reachable, and the player's own
// controls and keyboard shortcuts left alone. Screenshots are kept as test artifacts. No
// Lossy server: the test sends the markers from the service worker itself.

import { readFileSync } from 'node:fs';
import path from 'node:path';

import { expect, test, type Page, type TestInfo } from '@playwright/test';

import { centre, inspectOverlay, lastVideo, recordMessages, toTab, type OverlayView } from '../rig/content';
import { launchExtension, type ExtensionBrowser } from '../rig/extension';
import { GENERATED } from '../rig/paths';
import { fulfillRanged, serveFolder, type StaticServer } from '../rig/static';

const FIXTURE = 'markers-fixture.html';

// A player with its own control bar over the bottom of the video (as most players draw
// theirs), which records the clicks and the keys it receives.
const HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Markers fixture</title>
<style>
  body { margin: 0; font: 14px sans-serif; background: #f4f4f4; }
  #player { position: relative; width: 640px; height: 360px; margin: 40px 32px; }
  #main { width: 640px; height: 360px; display: block; background: #000; }
  #controls {
    position: absolute; left: 0; right: 0; bottom: 0; height: 40px;
    display: flex; justify-content: space-between; align-items: center; padding: 0 8px;
    box-sizing: border-box; background: linear-gradient(transparent, rgba(0, 0, 0, 0.7));
  }
  #controls button { font: inherit; padding: 4px 10px; }
</style></head>
<body>
  <div id="player">
    <video id="main" src="clip.webm" preload="auto" muted></video>
    <div id="controls"><button id="play">Play</button><button id="full">Full screen</button></div>
  </div>
  <script>
    window.pageEvents = [];
    // Every click the page hears, named by what it landed on.
    document.addEventListener('click', (event) => {
      const controls = event.target.closest('#controls');
      pageEvents.push('click:' + (!controls ? event.target.localName : event.target === controls ? 'bar' : event.target.id));
    });
    document.addEventListener('keydown', (event) => pageEvents.push('key:' + event.key));
  </script>
</body>
</html>`;

const MARKERS = [
  { noteId: 'n-start', seconds: 0.5, category: 'PACING', text: 'The title card holds too long' },
  { noteId: 'n-a', seconds: 10, category: 'AUDIO', text: 'Hum in the left channel' },
  { noteId: 'n-b', seconds: 10.1, category: 'COLOR', text: 'Skin tones too warm' },
  { noteId: 'n-c', seconds: 10.2, category: 'EDITING', text: 'The cut comes a beat early' },
  {
    noteId: 'n-long',
    seconds: 18,
    category: 'CONTENT',
    text: 'Check the claim about the release date against the press kit before this goes out; the sales team quoted another day.',
  },
  { noteId: 'n-end', seconds: 29.5, category: 'VISUAL', text: 'The horizon tilts in the last shot' },
];

/** The side panel's palette, as Chromium computes it. */
const RGB: Record<string, string> = {
  PACING: 'rgb(217, 119, 6)',
  AUDIO: 'rgb(8, 145, 178)',
  COLOR: 'rgb(219, 39, 119)',
  EDITING: 'rgb(124, 58, 237)',
  CONTENT: 'rgb(180, 83, 9)',
  VISUAL: 'rgb(37, 99, 235)',
};

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
});

test.afterEach(async () => {
  await browser.close();
});

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

/** Opens `url` and sends its tab `markers` once the page reported its video. */
async function openWithMarkers(url: string, markers: unknown[]): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 900, height: 500 });
  await page.goto(url);
  await expect.poll(async () => (await lastVideo(browser.worker))?.message.video?.durationSeconds ?? null).toBeCloseTo(30, 0);
  const tabId = (await lastVideo(browser.worker))?.tabId;
  if (typeof tabId !== 'number') throw new Error('no tab id');
  await toTab(browser.worker, tabId, { kind: 'page/markers', markers });
  await expect.poll(async () => (await inspectOverlay(page))?.markers.length ?? 0).toBe(markers.length);
  return page;
}

async function overlay(page: Page): Promise<OverlayView> {
  const view = await inspectOverlay(page);
  if (!view) throw new Error('no overlay');
  return view;
}

function marker(view: OverlayView, noteId: string) {
  const found = view.markers.find((m) => m.noteId === noteId);
  if (!found) throw new Error(`no marker for ${noteId}`);
  return found;
}

const currentTime = (page: Page) =>
  page.evaluate(() => (document.getElementById('main') as HTMLVideoElement).currentTime);
const pageEvents = (page: Page) => page.evaluate(() => (window as unknown as { pageEvents: string[] }).pageEvents);

test('markers are visible ticks with 24 px hit areas that open their note and seek', async ({}, testInfo) => {
  await browser.context.route(media.url(FIXTURE), (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: HTML }),
  );
  const page = await openWithMarkers(media.url(FIXTURE), MARKERS);
  const video = await page.locator('#main').boundingBox();
  if (!video) throw new Error('no video box');
  let view = await overlay(page);

  // One button per note, in time order, named for assistive technology.
  expect(view.markers.map((m) => m.label)).toEqual([
    'Note at 0:00 — Pacing: The title card holds too long',
    'Note at 0:10 — Audio: Hum in the left channel',
    'Note at 0:10 — Color: Skin tones too warm',
    'Note at 0:10 — Editing: The cut comes a beat early',
    `Note at 0:18 — Content: ${MARKERS[4]?.text}`,
    'Note at 0:29 — Visual: The horizon tilts in the last shot',
  ]);
  // Each tick stands on its own hit area, at least 24 × 24, over the video's bottom edge, in
  // its category's colour.
  for (const m of view.markers.filter((m) => m.tick)) {
    expect(m.box.width).toBeGreaterThanOrEqual(24);
    expect(m.box.height).toBeGreaterThanOrEqual(24);
    expect(m.box.y + m.box.height).toBeCloseTo(video.y + video.height, 0);
    expect(m.box.x).toBeGreaterThanOrEqual(video.x);
    expect(m.box.x + m.box.width).toBeLessThanOrEqual(video.x + video.width + 0.5);
    expect(m.tick?.width).toBeGreaterThanOrEqual(4);
    expect(m.tick?.height).toBeGreaterThanOrEqual(12);
    const category = MARKERS.find((n) => n.noteId === m.noteId)?.category ?? '';
    expect(m.tickColor).toBe(RGB[category]);
  }
  // The three notes at 0:10 are one tick; the other two are rows of its card.
  expect(view.markers.filter((m) => m.tick).map((m) => m.noteId)).toEqual(['n-start', 'n-a', 'n-long', 'n-end']);
  expect(view.cards).toEqual([]);
  await shoot(page, testInfo, 'markers-idle');

  // Hovering the last marker opens its card, kept inside the video at the right edge.
  const end = marker(view, 'n-end');
  await page.mouse.move(centre(end.box).x, centre(end.box).y);
  view = await overlay(page);
  expect(view.cards).toHaveLength(1);
  const [endCard] = view.cards;
  expect(endCard?.text).toContain('0:29 · Visual');
  expect(endCard?.text).toContain('The horizon tilts in the last shot');
  expect(endCard?.box.x ?? 0).toBeGreaterThanOrEqual(video.x);
  expect((endCard?.box.x ?? 0) + (endCard?.box.width ?? 0)).toBeLessThanOrEqual(video.x + video.width);
  // The tick grows while hovered.
  await expect
    .poll(async () => marker(await overlay(page), 'n-end').tick?.height ?? 0)
    .toBeGreaterThan(end.tick?.height ?? 0);
  await shoot(page, testInfo, 'markers-hover-end');

  // And the first one's, at the left edge.
  const start = marker(view, 'n-start');
  await page.mouse.move(centre(start.box).x, centre(start.box).y);
  view = await overlay(page);
  expect(view.cards.map((c) => c.text)).toEqual([expect.stringContaining('The title card holds too long')]);
  expect(view.cards[0]?.box.x ?? 0).toBeGreaterThanOrEqual(video.x);

  // A long note wraps inside its card, no wider than 280 px.
  const long = marker(view, 'n-long');
  await page.mouse.move(centre(long.box).x, centre(long.box).y);
  view = await overlay(page);
  expect(view.cards[0]?.box.width ?? 0).toBeLessThanOrEqual(280);
  expect(view.cards[0]?.box.height ?? 0).toBeGreaterThan(40);
  await shoot(page, testInfo, 'markers-hover-long');

  // The group: its card lists the three notes; the pointer travels up into it and clicks
  // the third, which seeks to that note's time.
  const group = marker(view, 'n-a');
  await page.mouse.move(centre(group.box).x, centre(group.box).y);
  view = await overlay(page);
  expect(view.cards).toHaveLength(1);
  expect(view.cards[0]?.rows).toBe(3);
  await shoot(page, testInfo, 'markers-group-open');
  const third = marker(view, 'n-c');
  await page.mouse.move(centre(group.box).x, group.box.y + 2, { steps: 4 });
  await page.mouse.move(centre(third.box).x, centre(third.box).y, { steps: 6 });
  await page.mouse.click(centre(third.box).x, centre(third.box).y);
  await expect.poll(() => currentTime(page)).toBeCloseTo(10.2, 1);
  await expect.poll(async () => (await lastMarkerClick())).toBe('n-c');

  // A click on the tick itself seeks to the group's first note.
  await page.mouse.click(centre(group.box).x, centre(group.box).y);
  await expect.poll(() => currentTime(page)).toBeCloseTo(10, 1);
  // None of these clicks reached the page: they were the markers'.
  expect(await pageEvents(page)).toEqual([]);
});

async function lastMarkerClick(): Promise<string | undefined> {
  const all = await browser.worker.evaluate(
    () => (globalThis as unknown as { lossySeen: { message: { kind: string; noteId?: string } }[] }).lossySeen,
  );
  return all.filter((s) => s.message.kind === 'page/marker-clicked').at(-1)?.message.noteId;
}

test('the player keeps its controls and its keyboard shortcuts around the markers', async ({}, testInfo) => {
  await browser.context.route(media.url(FIXTURE), (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: HTML }),
  );
  const page = await openWithMarkers(media.url(FIXTURE), MARKERS);
  const view = await overlay(page);
  const bar = await page.locator('#controls').boundingBox();
  const full = await page.locator('#full').boundingBox();
  if (!bar || !full) throw new Error('no controls');

  // The bar under the overlay, between two markers; the full-screen button beside the last
  // marker's hit area; a hair to the right of the first marker's hit area.
  const start = marker(view, 'n-start');
  await page.mouse.click(bar.x + bar.width * 0.4, bar.y + bar.height - 2);
  await page.mouse.click(full.x + 6, full.y + full.height / 2);
  await page.mouse.click(start.box.x + start.box.width + 2, bar.y + bar.height - 2);
  expect(await pageEvents(page)).toEqual(['click:bar', 'click:full', 'click:bar']);
  expect(await currentTime(page)).toBe(0);

  // Keyboard: Tab reaches each marker in time order (after the page's own buttons); the card
  // opens on focus; the page still hears every key it binds.
  await page.locator('#full').focus();
  const order: (string | null)[] = [];
  for (let i = 0; i < MARKERS.length; i += 1) {
    await page.keyboard.press('Tab');
    order.push((await overlay(page)).focused);
    if (i === 4) await shoot(page, testInfo, 'markers-keyboard-focus-tick');
  }
  expect(order).toEqual((await overlay(page)).markers.map((m) => m.label));
  // Back to the group's second note: its card is open.
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('Shift+Tab');
  const focused = await overlay(page);
  expect(focused.focused).toBe('Note at 0:10 — Color: Skin tones too warm');
  expect(focused.cards).toHaveLength(1);
  expect(focused.cards[0]?.rows).toBe(3);
  await shoot(page, testInfo, 'markers-keyboard-focus');

  await page.keyboard.press('k');
  await page.keyboard.press('ArrowRight');
  expect(await pageEvents(page)).toEqual(expect.arrayContaining(['key:k', 'key:ArrowRight']));
  // Enter is the button's own: it seeks.
  await page.keyboard.press('Enter');
  await expect.poll(() => currentTime(page)).toBeCloseTo(10.1, 1);
});

const WATCH = 'https://www.youtube.com/watch?v=aqz-KE-bpKQ';
const CLIP = 'https://www.youtube.com/lossy-test/clip.webm';

// YouTube's address, answered locally: a dark page with a player the size of YouTube's.
const WATCH_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Big Buck Bunny - YouTube</title></head>
<body style="margin:0;background:#0f0f0f;color:#f1f1f1;font:14px Roboto, Arial, sans-serif">
  <div style="height:56px;border-bottom:1px solid #303030;padding:0 16px;line-height:56px">YouTube</div>
  <div id="player" style="width:720px;height:405px;margin:24px">
    <video id="movie" src="${CLIP}" style="width:720px;height:405px;display:block" muted preload="auto"></video>
  </div>
  <h1 style="margin:0 24px;font-size:20px">Big Buck Bunny</h1>
</body></html>`;


test('on a YouTube watch page the markers show over the player', async ({}, testInfo) => {
  const clip = readFileSync(path.join(GENERATED, 'clip.webm'));
  await browser.context.route(WATCH, (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: WATCH_PAGE }),
  );
  await browser.context.route(CLIP, (route) => fulfillRanged(route, clip));
  const page = await openWithMarkers(WATCH, MARKERS);
  await page.setViewportSize({ width: 800, height: 560 });
  const video = await page.locator('#movie').boundingBox();
  if (!video) throw new Error('no video box');
  await expect
    .poll(async () => (await overlay(page)).host.width)
    .toBeCloseTo(video.width, 0);
  await shoot(page, testInfo, 'youtube-markers');
  const view = await overlay(page);
  const long = marker(view, 'n-long');
  await page.mouse.move(centre(long.box).x, centre(long.box).y);
  await expect.poll(async () => (await overlay(page)).cards.length).toBe(1);
  await shoot(page, testInfo, 'youtube-markers-hover');
  await page.mouse.click(centre(long.box).x, centre(long.box).y);
  await expect
    .poll(() => page.evaluate(() => (document.getElementById('movie') as HTMLVideoElement).currentTime))
    .toBeCloseTo(18, 0);
});
