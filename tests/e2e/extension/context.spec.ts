// The same video open in two windows of one browser. Chrome's side panel is per window, and
// each window's panel shows its own window's tab. The window the reviewer is in owns the video
// context (PROTOCOL.md section 7: the last active tab wins); the other window's panel says the
// video is taken, and "Take over" there makes its tab the owner again.

import { expect, test, type Page } from '@playwright/test';

import { expectAccessible } from '../rig/fixtures';
import { connectExtension, startReview, WATCH, WATCH_TITLE, type Review } from '../rig/review';

/** The few `chrome.*` calls evaluated in the service worker (the rig has no Chrome types). */
interface Tab {
  id: number;
  windowId: number;
}
declare const chrome: {
  runtime: { getURL(path: string): string };
  tabs: {
    query(query: { url?: string }): Promise<Tab[]>;
    create(properties: { windowId: number; url: string }): Promise<Tab>;
  };
  windows: {
    create(data: { url: string; focused: boolean }): Promise<{ id: number; tabs: Tab[] }>;
    update(id: number, info: { focused?: boolean; state?: 'minimized' | 'normal' }): Promise<unknown>;
    getLastFocused(): Promise<{ id: number }>;
  };
};

let review: Review;

test.beforeEach(async () => {
  review = await startReview();
});

test.afterEach(async () => {
  await review.close();
});

/** The side panel's page opened as a tab of `windowId` (it asks Chrome for its window, as the
 * real side panel does). Activating it leaves the window on its video tab. */
async function openPanel(windowId: number): Promise<Page> {
  const [panel] = await Promise.all([
    review.browser.context.waitForEvent('page'),
    review.browser.worker.evaluate(
      (id) => chrome.tabs.create({ windowId: id, url: chrome.runtime.getURL('sidepanel.html') }),
      windowId,
    ),
  ]);
  await expect(panel.getByRole('heading', { level: 1 })).toHaveText(WATCH_TITLE, {
    timeout: 15_000,
  });
  return panel;
}

/**
 * Moves the reviewer to window `windowId`, as Chrome sees it.
 *
 * Headless Chromium has no window manager: each of its windows
 * (ui/ozone/platform/headless/headless_window.cc) keeps its own activation, activating one
 * does not deactivate the others, and `Activate()` on a window that is already active does
 * nothing. So `windows.update(id, {focused: true})` on a window that was focused once changes
 * nothing: no `windows.onFocusChanged`, and `windows.getLastFocused()` stays where it was
 * (every window even reports `focused: true`). Minimizing a headless window deactivates it;
 * restoring it with `focused: true` activates it again through Chrome's own path, so the
 * event fires and `getLastFocused()` follows, as when a reviewer clicks into the window.
 */
async function focusWindow(windowId: number): Promise<void> {
  await review.browser.worker.evaluate(async (id) => {
    await chrome.windows.update(id, { state: 'minimized' });
    await chrome.windows.update(id, { state: 'normal', focused: true });
  }, windowId);
  await expect
    .poll(() => review.browser.worker.evaluate(async () => (await chrome.windows.getLastFocused()).id))
    .toBe(windowId);
}

/** The tab that owns the reviewer's video context, as the server says. */
async function ownerTab(): Promise<number | null> {
  const { videoContext } = await review.session.graphql<{
    videoContext: { owner: { tabId: number } | null } | null;
  }>('{ videoContext { owner { tabId } } }');
  return videoContext?.owner?.tabId ?? null;
}

test('the window the reviewer is not in says the video is taken, and takes it over', async ({}, testInfo) => {
  // Longer than the rest: it waits out one lease at the end.
  test.setTimeout(120_000);
  await connectExtension(review);

  // Window 1: the video, then its side panel.
  const video1 = await review.browser.context.newPage();
  await video1.goto(WATCH);
  await video1.bringToFront();
  const [tab1] = await review.browser.worker.evaluate((url) => chrome.tabs.query({ url }), WATCH);
  expect(tab1).toBeDefined();
  const window1 = tab1!.windowId;
  const panel1 = await openPanel(window1);
  const banner1 = panel1.getByRole('region', { name: 'Video taken by another tab' });
  await expect.poll(ownerTab, { timeout: 10_000 }).toBe(tab1!.id);
  await expect(banner1).toHaveCount(0);

  // Window 2: the same video in a new window, which gets the focus; its tab claims the video.
  const [, created] = await Promise.all([
    review.browser.context.waitForEvent('page'),
    review.browser.worker.evaluate((url) => chrome.windows.create({ url, focused: true }), WATCH),
  ]);
  const window2 = created.id;
  const tab2 = created.tabs[0]!.id;
  expect(window2).not.toBe(window1);
  await expect.poll(ownerTab, { timeout: 10_000 }).toBe(tab2);
  await expect(banner1).toBeVisible();
  // Read-only meanwhile: no typing notes onto a video another tab is reviewing.
  await expect(panel1.getByRole('form', { name: 'New note' })).toHaveCount(0);
  await expectAccessible(panel1);
  await panel1.screenshot({ path: testInfo.outputPath('sidepanel-taken.png'), fullPage: true });

  // Window 2's own panel shows the same video, owned by its tab.
  const panel2 = await openPanel(window2);
  const banner2 = panel2.getByRole('region', { name: 'Video taken by another tab' });
  await expect(banner2).toHaveCount(0);

  // Back in window 1: its tab claims again by itself (the last active tab wins).
  await focusWindow(window1);
  await expect.poll(ownerTab).toBe(tab1!.id);
  await expect(banner1).toHaveCount(0);
  await expect(banner2).toBeVisible();

  // In window 2 again, then "Take over" from window 1's panel while window 2 keeps the focus.
  await focusWindow(window2);
  await expect.poll(ownerTab).toBe(tab2);
  await expect(banner1).toBeVisible();
  await banner1.getByRole('button', { name: 'Take over' }).click();
  await expect.poll(ownerTab).toBe(tab1!.id);
  await expect(banner1).toHaveCount(0);
  await expect(panel1.getByRole('form', { name: 'New note' })).toBeVisible();
  await expect(banner2).toBeVisible();
  await expectAccessible(panel2);

  // The owner renews its lease (15 s on the server) by claiming again: past it, nothing lapsed.
  await panel1.waitForTimeout(20_000);
  expect(await ownerTab()).toBe(tab1!.id);
  await expect(banner1).toHaveCount(0);
  await expect(banner2).toBeVisible();
});
