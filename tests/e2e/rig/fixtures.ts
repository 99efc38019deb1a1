// Playwright fixtures shared by every front-end spec: a real server per worker, a fresh
// reviewer per test, a page signed in as them, fixture media, and the accessibility check.

import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';

import { newUser, type Credentials, type Device, type WebSession } from './api';
import { GENERATED } from './paths';
import { startServer, type LossyServer } from './server';
import { serveFolder, type StaticServer } from './static';

export interface Reviewer {
  session: WebSession;
  credentials: Credentials;
  /** An extension device of the reviewer, connected on first use. */
  device(): Promise<Device>;
}

interface TestFixtures {
  reviewer: Reviewer;
  /** A page whose browser context carries the reviewer's session cookie. */
  signedInPage: Page;
  /** Requests the page tried to send off this machine (they are aborted). */
  outsideRequests: string[];
}

interface WorkerFixtures {
  server: LossyServer;
  /** Serves tests/e2e/.generated (the test video) on another loopback port. */
  media: StaticServer;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const test = base.extend<TestFixtures, WorkerFixtures>({
  server: [
    async ({}, use) => {
      const server = await startServer();
      await use(server);
      await server.stop();
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  media: [
    async ({}, use) => {
      const media = await serveFolder(GENERATED);
      await use(media);
      await media.close();
    },
    { scope: 'worker' },
  ],

  outsideRequests: async ({}, use) => {
    await use([]);
  },

  // Nothing leaves the machine: the app must work offline (no CDN), and the closed network
  // here would only make such requests hang.
  context: async ({ context, outsideRequests }, use) => {
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.protocol === 'data:' || url.protocol === 'blob:' || LOOPBACK.has(url.hostname)) {
        await route.continue();
      } else {
        outsideRequests.push(url.href);
        await route.abort('internetdisconnected');
      }
    });
    await use(context);
  },

  reviewer: async ({ server }, use) => {
    const { session, credentials } = await newUser(server);
    let device: Promise<Device> | null = null;
    await use({
      session,
      credentials,
      device: () => (device ??= session.connectDevice()),
    });
  },

  signedInPage: async ({ page, context, server, reviewer }, use) => {
    const { hostname } = new URL(server.origin);
    await context.addCookies([
      {
        name: 'lossy_session',
        value: reviewer.session.cookieValue,
        domain: hostname,
        path: '/',
        httpOnly: true,
        sameSite: 'Lax',
      },
    ]);
    await use(page);
  },
});

export { expect };

/**
 * No serious or critical axe-core violation on the page as it is now. `exclude` leaves out
 * parts we do not render ourselves (say why at the call).
 */
export async function expectAccessible(
  page: Page,
  options: { exclude?: string[] } = {},
): Promise<void> {
  const what = page.url();
  let builder = new AxeBuilder({ page });
  // axe's default run finishes in a blank tab of its own; an extension page has no
  // cross-origin frames to need that, and a new tab would move the side panel (opened as a
  // tab, it follows its window's tab) off its video, changing what later steps see.
  if (what.startsWith('chrome-extension://')) builder = builder.setLegacyMode(true);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze();
  const serious = results.violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  const summary = serious
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`)
    .join('\n');
  expect(serious, `accessibility violations on ${what}:\n${summary}`).toEqual([]);
}
