// The extension follows the server's adapter manifest (`GET /api/platform_adapters.json`).
// A manifest of a format it does not understand must never break a review: the extension
// falls back to the generic adapter and records it (`platforms.manifest_fallback`), while the
// server keeps identifying the video and the side panel keeps showing its notes.

import { expect, test } from '@playwright/test';

import { signIn } from '../rig/api';
import { expectAccessible } from '../rig/fixtures';
import { connectExtension, openVideoAndPanel, startReview, type Review } from '../rig/review';

let review: Review;

test.beforeEach(async () => {
  review = await startReview();
});

test.afterEach(async () => {
  await review.close();
});

interface StoredEvent {
  name: string;
  deviceId: string | null;
  properties: { reason?: string; manifestVersion?: string | null };
}

/** The extension's telemetry as the server stored it (`ingestTelemetry`), read by the admin. */
async function serverEvents(name: string): Promise<StoredEvent[]> {
  const { server } = review;
  const admin = await signIn(server, { email: server.adminEmail, password: server.adminPassword });
  const { telemetryEvents } = await admin.graphql<{ telemetryEvents: { nodes: StoredEvent[] } }>(
    'query($name: String) { telemetryEvents(name: $name, first: 50) { nodes { name deviceId properties } } }',
    { name },
  );
  return telemetryEvents.nodes;
}

test('a manifest of an unknown major version falls back to the generic adapter, records it, and the review goes on', async () => {
  // The one answer substituted: the real server only serves the manifest it was built with
  // (format 1.x), and a server a format ahead is what this test is about. Playwright routes
  // the extension service worker's own requests (Playwright 1.65 attaches its network
  // handling to service workers unless `serviceWorkers: 'block'`), so the worker's fetch gets
  // the real server's manifest with only its version changed; everything else, the socket
  // included, is the real server's.
  const served: string[] = [];
  await review.browser.context.route(
    `${review.server.origin}/api/platform_adapters.json`,
    async (route) => {
      const real = await route.fetch();
      const manifest = (await real.json()) as { manifestVersion: string };
      served.push(manifest.manifestVersion);
      await route.fulfill({
        response: real,
        headers: { ...real.headers(), etag: '"2.0.0"' },
        json: { ...manifest, manifestVersion: '2.0.0' },
      });
    },
  );

  await connectExtension(review);
  // The worker asks after connecting; the first answer is the real one, rewritten.
  await expect.poll(() => served.length, { timeout: 10_000 }).toBeGreaterThan(0);
  expect(served[0]).toMatch(/^1\.\d+\.\d+/);

  await expect
    .poll(() => serverEvents('extension.platforms.manifest_fallback'), { timeout: 15_000 })
    .toEqual([
      expect.objectContaining({
        properties: expect.objectContaining({
          reason: 'unsupported-version',
          manifestVersion: '2.0.0',
        }) as unknown,
      }),
    ]);
  const { devices } = await review.session.graphql<{ devices: { id: string }[] }>(
    '{ devices { id } }',
  );
  expect((await serverEvents('extension.platforms.manifest_fallback'))[0]?.deviceId).toBe(
    devices[0]?.id,
  );
  // Kept for a restarted worker, which then falls back as well.
  const kept = await review.browser.worker.evaluate(async () => {
    const local = (
      globalThis as unknown as {
        chrome: { storage: { local: { get(key: string): Promise<Record<string, unknown>> } } };
      }
    ).chrome.storage.local;
    const stored = (await local.get('platformManifest')).platformManifest as
      | { raw: { manifestVersion?: string } | null }
      | undefined;
    return stored?.raw?.manifestVersion ?? null;
  });
  expect(kept).toBe('2.0.0');

  // Detection never depended on it: the server identifies the video, the panel shows its notes.
  const { panel, videoId } = await openVideoAndPanel(review);
  await review.session.graphql(
    `mutation($input: CreateNoteInput!) { createNote(input: $input) { id } }`,
    { input: { videoId, timestampSeconds: 12, text: 'the logo flickers here', category: 'AUDIO' } },
  );
  await expect(panel.getByRole('article', { name: 'Note at 0:12' })).toContainText(
    'the logo flickers here',
  );
  await expectAccessible(panel);
  // Recorded once for that version.
  expect(await serverEvents('extension.platforms.manifest_fallback')).toHaveLength(1);
});
