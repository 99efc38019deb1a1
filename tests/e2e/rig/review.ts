// A reviewer's setup for the extension's browser tests: a real server that allows the
// development extension, Chromium with the extension and the reviewer's web session, a
// YouTube watch page answered locally, and the side panel following it.

import { readFileSync } from 'node:fs';
import path from 'node:path';

import { expect, type Page } from '@playwright/test';

import { newUser, type WebSession } from './api';
import { DEV_EXTENSION_ID, launchExtension, type ExtensionBrowser } from './extension';
import { GENERATED } from './paths';
import { startServer, type LossyServer } from './server';
import { fulfillRanged } from './static';

export const WATCH = 'https://www.youtube.com/watch?v=aqz-KE-bpKQ';
const CLIP = 'https://www.youtube.com/lossy-test/clip.webm';
export const WATCH_TITLE = 'Big Buck Bunny - YouTube';

// YouTube's address is answered by the test (no network here): a page with one video.
const WATCH_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${WATCH_TITLE}</title></head>
<body style="margin:0">
  <div id="player" style="width:640px;height:360px;margin:24px">
    <video id="movie" src="${CLIP}" style="width:640px;height:360px" muted preload="auto"></video>
  </div>
</body></html>`;


export interface Review {
  server: LossyServer;
  browser: ExtensionBrowser;
  /** The reviewer's web session (its cookie is in the browser). */
  session: WebSession;
  close(): Promise<void>;
}

export interface ReviewOptions {
  /** The watch page's video file (default: the 30 s `clip.webm` of the global setup). */
  clip?: string;
  /** More Chromium flags (e.g. the fake microphone's). */
  args?: string[];
  /** More `LOSSY_*` variables for the server (e.g. a short event retention). */
  serverEnv?: Record<string, string>;
}

/** A server, a new reviewer signed in to the web app in a browser with the extension. */
export async function startReview(options: ReviewOptions = {}): Promise<Review> {
  const server = await startServer({
    env: { LOSSY_ALLOWED_ORIGINS: `chrome-extension://${DEV_EXTENSION_ID}`, ...options.serverEnv },
  });
  const browser = await launchExtension({ args: options.args ?? [] });
  const clip = readFileSync(options.clip ?? path.join(GENERATED, 'clip.webm'));
  await browser.context.route(WATCH, (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: WATCH_PAGE }),
  );
  await browser.context.route(CLIP, (route) => fulfillRanged(route, clip));
  const { session } = await newUser(server);
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
  return {
    server,
    browser,
    session,
    close: async () => {
      await browser.close();
      await server.stop();
    },
  };
}

/** Points the extension at the test server from its popup, as a reviewer would. */
export async function connectExtension({ browser, server }: Review): Promise<void> {
  const popup = await browser.context.newPage();
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  await popup.getByLabel('Server').fill(server.origin);
  await popup.getByRole('button', { name: 'Save' }).click();
  await expect(popup.getByText('Connected', { exact: false }).first()).toBeVisible({
    timeout: 15_000,
  });
  await popup.close();
}

/** The watch page, then the side panel (opened as a tab, it keeps following the video's tab),
 * once the server identified the video. The video's playhead is at `seconds`. */
export async function openVideoAndPanel(
  { browser, session }: Review,
  seconds = 0,
): Promise<{ video: Page; panel: Page; videoId: string }> {
  const panel = await browser.context.newPage();
  await panel.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`);
  const video = await browser.context.newPage();
  await video.goto(WATCH);
  await video.bringToFront();
  let videoId = '';
  await expect
    .poll(
      async () => {
        const { videos } = await session.graphql<{
          videos: { nodes: { id: string; platform: string }[] };
        }>('{ videos { nodes { id platform } } }');
        videoId = videos.nodes[0]?.id ?? '';
        return videos.nodes[0]?.platform ?? null;
      },
      { timeout: 15_000 },
    )
    .toBe('youtube');
  await expect(panel.getByRole('heading', { level: 1 })).toHaveText(WATCH_TITLE, {
    timeout: 10_000,
  });
  const movie = video.locator('#movie');
  await expect.poll(() => movie.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThan(0);
  await movie.evaluate((v: HTMLVideoElement, at) => {
    v.currentTime = at;
  }, seconds);
  await expect.poll(() => movie.evaluate((v: HTMLVideoElement) => v.currentTime)).toBe(seconds);
  return { video, panel, videoId };
}

export interface ServerNote {
  id: string;
  text: string;
  timestampSeconds: number;
  version: number;
  deletedAt: string | null;
}

/** The video's notes as the server has them, deleted ones too. */
export async function serverNotes(session: WebSession, videoId: string): Promise<ServerNote[]> {
  const answer = await session.graphql<{ notes: { nodes: ServerNote[] } }>(
    `query($id: ID!) { notes(videoId: $id, filter: { includeDeleted: true }) {
       nodes { id text timestampSeconds version deletedAt } } }`,
    { id: videoId },
  );
  return answer.notes.nodes;
}

/** Types a note into the side panel's field and presses Add. */
export async function typeNote(panel: Page, text: string): Promise<void> {
  await panel.getByLabel('Note at the current time').fill(text);
  await panel.getByRole('button', { name: 'Add', exact: true }).click();
}
