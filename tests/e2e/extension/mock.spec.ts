// The mock mode (`npm run dev:mock`) covers the content script: the real content script runs
// on the mock page's video against the fake worker, so the scripted notes show as markers,
// clicking one seeks the video, the side panel's times seek it too, and a typed note lands at
// its playhead. Runs the Vite dev server as a developer does; no extension, no Lossy server.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

import { expect, test, type Page } from '@playwright/test';

import { centre, inspectOverlay } from '../rig/content';
import { REPO_ROOT } from '../rig/paths';

const EXTENSION = path.join(REPO_ROOT, 'extension');

/** The extension's Vite: in its own node_modules, or hoisted to the front-end workspace's. */
function viteBin(): string {
  const candidates = [EXTENSION, REPO_ROOT].map((dir) =>
    path.join(dir, 'node_modules', 'vite', 'bin', 'vite.js'),
  );
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`vite is not installed: run npm ci at ${REPO_ROOT}`);
  return found;
}

let vite: ChildProcess | undefined;
let origin = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

test.beforeAll(async ({}, testInfo) => {
  // The first start makes the mock clip with ffmpeg and bundles the dependencies.
  testInfo.setTimeout(120_000);
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(
    process.execPath,
    [viteBin(), '--config', 'vite.mock.config.ts', '--port', String(port), '--strictPort'],
    { cwd: EXTENSION, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  vite = child;
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 100_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite stopped (${child.exitCode}):\n${output}`);
    try {
      const answer = await fetch(`${origin}/mock/`);
      if (answer.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`vite did not answer:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});

test.afterAll(async () => {
  const child = vite;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
});

const videoTime = (page: Page) =>
  page.evaluate(() => (document.getElementById('mock-video') as HTMLVideoElement).currentTime);

async function labels(page: Page): Promise<string[]> {
  return (await inspectOverlay(page))?.markers.map((m) => m.label) ?? [];
}

test('the mock page’s video gets the scripted notes as markers that seek it', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1500, height: 900 });
  await page.goto(`${origin}/mock/`);

  // The seeded notes, drawn by the real content script on the page's video.
  await expect
    .poll(() => labels(page), { timeout: 30_000 })
    .toEqual(
      expect.arrayContaining([
        'Note at 0:04 — Pacing: Title card is on screen too long',
        'Note at 0:31 — Audio: Hum in the left channel',
        'Note at 1:15 — Editing: Fix the jump cut',
      ]),
    );
  await expect(page.getByText(/It reported “Lossy mock mode”, 600 s\./)).toBeVisible();

  // Clicking a marker seeks the video, and the worker hears of it.
  const jumpCut = (await inspectOverlay(page))?.markers.find((m) => m.label.startsWith('Note at 1:15'));
  if (!jumpCut) throw new Error('no marker at 1:15');
  await page.mouse.click(centre(jumpCut.box).x, centre(jumpCut.box).y);
  await expect.poll(() => videoTime(page)).toBeCloseTo(75, 0);
  await expect(page.getByText('Markers clicked: 1.')).toBeVisible();

  // The side panel's time seeks the page's video through the fake worker.
  const panel = page.getByLabel('Side panel');
  await panel.getByRole('button', { name: 'Play from 0:31' }).first().click();
  await expect.poll(() => videoTime(page)).toBeCloseTo(31.5, 0);

  // A typed note lands at the video's playhead, and its marker appears.
  await panel.getByLabel('Note at the current time').fill('Typed on the mock page');
  await panel.getByLabel('Note at the current time').press('Enter');
  await expect
    .poll(() => labels(page), { timeout: 10_000 })
    .toContainEqual(expect.stringMatching(/^Note at 0:31 — \w+: Typed on the mock page/));

  // The script's notes arrive as markers too (its second, at 0:35, 8 s after the page opened; the script may refine the typed one meanwhile).
  await expect
    .poll(() => labels(page), { timeout: 15_000 })
    .toContain('Note at 0:35 — Color: Skin tones look too warm in this shot');

  await page.screenshot({ path: testInfo.outputPath('mock-page.png') });
  await testInfo.attach('mock-page', { path: testInfo.outputPath('mock-page.png'), contentType: 'image/png' });
});
