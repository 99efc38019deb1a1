// The admin console (/admin/*) against a real server that has just carried real traffic: a
// short run of the load generator (reviewers speaking, their transcripts becoming notes), so
// every figure on these pages is the server's own recording of that traffic. Each page is
// checked with axe-core and kept as a screenshot (attached to the report, and in the output
// folder).

import type { BrowserContext, Page, TestInfo } from '@playwright/test';
import type { Client } from 'graphql-ws';

import { newUser, signIn, type Device, type WebSession } from '../rig/api';
import { expect, expectAccessible, test } from '../rig/fixtures';
import { generateTraffic, type LoadReport } from '../rig/load';
import { startServer, type LossyServer } from '../rig/server';

test.describe.configure({ mode: 'serial' });

let server: LossyServer;
let admin: WebSession;
let traffic: LoadReport;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // Flushing the analytics rollups often lets the pages show the traffic within a second.
  server = await startServer({ env: { LOSSY_ANALYTICS_FLUSH_MS: '250' } });
  admin = await signIn(server, { email: server.adminEmail, password: server.adminPassword });
  traffic = await generateTraffic(server, { sessions: 3, durationSecs: 8 });
  expect(traffic.sessions_started).toBe(3);
  expect(traffic.notes?.created.events_sent ?? 0).toBeGreaterThan(0);
  // One flush after the run: what the load generator did is in the rollups.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
});

test.afterAll(async () => {
  await server?.stop();
});

async function signInAs(context: BrowserContext, session: WebSession) {
  await context.addCookies([
    {
      name: 'lossy_session',
      value: session.cookieValue,
      domain: new URL(server.origin).hostname,
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
    },
  ]);
}

/** Keeps the page as it is now: a full-page screenshot in the output folder, on the report. */
async function keep(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`console-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(`console-${name}`, { path: file, contentType: 'image/png' });
}

/** A socket of `device` following `featuresChanged` (which speaks only on a change), and how
 * it closed (if it did); resolves once the subscription is registered. */
async function followFeatures(device: Device) {
  const seen: Record<string, boolean>[] = [];
  const closed: number[] = [];
  const socket: Client = device.socket({
    onClosed: (code) => closed.push(code),
    onNonLazyError: () => undefined,
  });
  socket.subscribe(
    { query: 'subscription { featuresChanged }' },
    {
      next: (result) => {
        const features = (result.data as { featuresChanged?: Record<string, boolean> } | null)
          ?.featuresChanged;
        if (features) seen.push(features);
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  // A subscription is registered before the next operation on its socket runs.
  await socket.iterate({ query: '{ me { id } }' }).next();
  return { socket, seen, closed };
}

/** A live voice session of a new reviewer, started on their device's socket. */
async function liveReviewer() {
  const { session } = await newUser(server);
  const device = await session.connectDevice('Console Chrome');
  const video = await device.detectVideo('https://vimeo.com/4242', 'Console cut v3');
  const socket = device.socket({ onNonLazyError: () => undefined });
  const started = await socket
    .iterate<{ startVoiceSession: { id: string } }>({
      query: `mutation($input: StartVoiceSessionInput!) {
        startVoiceSession(input: $input) { id }
      }`,
      variables: { input: { videoId: video.id, tabId: 7, pageInstanceId: 'console-page' } },
    })
    .next();
  const id = started.value?.data?.startVoiceSession.id;
  if (!id) throw new Error(`no voice session: ${JSON.stringify(started.value)}`);
  return { session, device, socket, sessionId: id };
}

test('health shows the live sessions as they change, the last hour and the server', async ({
  page,
  context,
}, testInfo) => {
  await signInAs(context, admin);
  const reviewer = await liveReviewer();
  await page.goto(server.origin + '/admin');
  await expect(page.getByRole('heading', { level: 2, name: 'Health', exact: true })).toBeVisible();

  const live = page.getByRole('region', { name: 'Live sessions' });
  await expect(live.getByRole('row').filter({ hasText: reviewer.session.user.email })).toContainText(
    'Console cut v3',
  );
  const facts = page.getByRole('region', { name: 'Server' });
  await expect(facts).toContainText(/\d+\.\d+\.\d+/);
  await expect(facts).toContainText(/sqlite/i);

  // The load generator's notes are in the last hour's delivery figures.
  const hour = page.getByRole('region', { name: 'Last hour' });
  const delivered = hour.locator('dt', { hasText: 'Notes delivered' }).locator('+ dd');
  await expect(delivered).not.toHaveText('0');
  await expect(hour.locator('dt', { hasText: 'Note delivery p50' }).locator('+ dd')).toHaveText(/ms|s/);
  await expectAccessible(page);
  await keep(page, testInfo, 'health');

  // Ending the session reaches the page through liveSessionsChanged, without a reload.
  await reviewer.socket
    .iterate({
      query: 'mutation($id: ID!) { stopVoiceSession(sessionId: $id) { id } }',
      variables: { id: reviewer.sessionId },
    })
    .next();
  await expect(page.getByText(reviewer.session.user.email)).toHaveCount(0, { timeout: 10_000 });
  await reviewer.socket.dispose();
});

test('trends draws every series of the traffic, with points', async ({ page, context }, testInfo) => {
  await signInAs(context, admin);
  await page.goto(server.origin + '/admin/trends');
  await expect(page.getByRole('heading', { level: 2, name: 'Trends', exact: true })).toBeVisible();
  const figures = page.locator('figure');
  await expect(figures.first()).toBeVisible();
  const delivery = figures.filter({ has: page.getByRole('heading', { name: /note delivery/i }) });
  await expect(delivery.locator('.uplot-chart canvas').first()).toBeVisible();
  await expect(delivery.locator('.uplot-chart')).toHaveAttribute('data-points', /^[1-9]\d*$/);
  const notes = figures.filter({ has: page.getByRole('heading', { name: /notes/i }) }).first();
  await expect(notes.locator('.uplot-chart')).toHaveAttribute('data-points', /^[1-9]\d*$/);
  await expectAccessible(page);
  await keep(page, testInfo, 'trends');
});

test('the telemetry explorer filters by name and shows the properties', async ({
  page,
  context,
}, testInfo) => {
  await signInAs(context, admin);
  await page.goto(server.origin + '/admin/telemetry?name=note.delivered');
  await expect(page.getByRole('heading', { level: 2, name: 'Telemetry explorer', exact: true })).toBeVisible();
  const table = page.getByRole('region', { name: 'Telemetry events' }).getByRole('table');
  const rows = table.locator('tbody tr').filter({ hasText: 'note.delivered' });
  await expect(rows.first()).toBeVisible();
  await expect(table.locator('tbody tr').filter({ hasText: 'voice.transition' })).toHaveCount(0);
  await rows.first().getByRole('button').first().click();
  await expect(table).toContainText('latencyMs');
  await expectAccessible(page);
  await keep(page, testInfo, 'telemetry');
});

test('quality counts the gate decisions of the traffic', async ({ page, context }, testInfo) => {
  await signInAs(context, admin);
  await page.goto(server.origin + '/admin/quality');
  await expect(page.getByRole('heading', { level: 2, name: 'Quality', exact: true })).toBeVisible();
  const summary = page.getByRole('table').first();
  await expect(summary.locator('tbody tr').first()).toBeVisible();
  await expect(summary.locator('tbody')).toContainText(/kept/i);
  await expectAccessible(page);
  await keep(page, testInfo, 'quality');
});

test('jobs shows the queue by state', async ({ page, context }, testInfo) => {
  await signInAs(context, admin);
  await page.goto(server.origin + '/admin/jobs');
  await expect(page.getByRole('heading', { level: 2, name: 'Jobs', exact: true })).toBeVisible();
  await expect(page.getByText(/dead/i).first()).toBeVisible();
  await expectAccessible(page);
  await keep(page, testInfo, 'jobs');
});

test('disabling a user from the users page closes their socket', async ({
  page,
  context,
}, testInfo) => {
  await signInAs(context, admin);
  const { session } = await newUser(server);
  const device = await session.connectDevice('Soon disabled');
  const follower = await followFeatures(device);

  await page.goto(server.origin + '/admin/users');
  await expect(page.getByRole('heading', { level: 2, name: 'Users', exact: true })).toBeVisible();
  await page.getByLabel('Search email or name').fill(session.user.email);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const row = page.getByRole('row').filter({ hasText: session.user.email });
  await expect(row).toHaveCount(1);
  await expectAccessible(page);
  await row.getByRole('button', { name: /^Disable/ }).click();
  await page.getByRole('button', { name: 'Yes, disable' }).click();
  await expect(row).toContainText('Disabled');
  await expect.poll(() => follower.closed).toContain(4403);
  await keep(page, testInfo, 'users');

  // Disabled for sign-in too.
  const refused = await fetch(`${server.origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.origin },
    body: JSON.stringify({ email: session.user.email, password: 'whatever' }),
  });
  expect(refused.ok).toBe(false);
  await follower.socket.dispose();
});

test('a flag change is previewed, explained for a user, and reaches that user', async ({
  page,
  context,
}, testInfo) => {
  await signInAs(context, admin);
  const { session } = await newUser(server);
  const device = await session.connectDevice('Flag watcher');
  const follower = await followFeatures(device);
  const before = await device.graphql<{ features: Record<string, boolean> }>('{ features }');
  expect(before.features['server_video_context']).toBe(true);

  await page.goto(server.origin + '/admin/flags');
  await expect(page.getByRole('heading', { level: 2, name: 'Flags', exact: true })).toBeVisible();
  const flag = page.getByRole('region', { name: 'server_video_context' });
  await flag.getByRole('button', { name: 'Edit server_video_context' }).click();
  const form = page.getByRole('form', { name: 'Edit server_video_context' });
  await form.getByLabel('On by default').uncheck();
  await form.getByLabel('Rollout (%)').fill('0');
  // The preview: every user turns off, this one among them, for the default's sake.
  await expect(form.locator('.flag-preview')).toContainText(/ change: 0 turn on, \d+ turn(s)? off\./);
  const change = form.getByRole('row').filter({ hasText: session.user.email });
  await expect(change).toContainText(/default/i);
  await form.getByLabel('Explain for a user').fill(session.user.email);
  await expect(form).toContainText(`${session.user.email}: Off: the default`);
  await expectAccessible(page);
  await keep(page, testInfo, 'flags');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status').first()).toBeVisible();

  await expect
    .poll(() => follower.seen.at(-1)?.['server_video_context'], { timeout: 10_000 })
    .toBe(false);
  await follower.socket.dispose();
  await admin.graphql(
    `mutation { setFeatureFlag(input: { name: "server_video_context", defaultEnabled: true }) { name } }`,
  );
});

const ADMIN_ROUTES = [
  '/admin',
  '/admin/trends',
  '/admin/telemetry',
  '/admin/quality',
  '/admin/flags',
  '/admin/users',
  '/admin/jobs',
  '/admin/audit',
];

const ADMIN_QUERIES = [
  'query { analytics(from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z", bucket: HOUR) { from } }',
  'query { liveSessions { total } }',
  'query { serverHealth { version } }',
  'query { jobCounts { dead } }',
  'query { users { nodes { id } } }',
  'query { jobs { nodes { id } } }',
  'query { telemetryEvents { nodes { id } } }',
  'query { telemetryNames }',
  'query { learnedThresholds { id } }',
  'query { featureFlags { name } }',
  'query { featureFlagPreview(input: { name: "server_telemetry", rolloutPercent: 50 }) { changedCount } }',
  'query { authEvents { nodes { id } } }',
];

test('a non-admin is refused every admin page and query', async ({ page, context }) => {
  const { session } = await newUser(server);
  await signInAs(context, session);
  for (const route of ADMIN_ROUTES) {
    await page.goto(server.origin + route);
    await expect(page.getByText('Admins only').first(), route).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Admin pages' }), route).toHaveCount(0);
  }
  for (const query of ADMIN_QUERIES) {
    const answer = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: session.cookie, origin: server.origin },
      body: JSON.stringify({ query }),
    });
    const body = (await answer.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
  }
});
