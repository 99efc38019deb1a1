// Launches Debian's Chromium with the unpacked extension (extension/dist) in a fresh profile,
// and finds its service worker. Build the extension first (run.sh does).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { chromium, type BrowserContext, type Page, type Worker } from '@playwright/test';

import { CHROMIUM, REPO_ROOT } from './paths';

/** The unpacked extension; `LOSSY_E2E_EXTENSION_DIR` overrides. */
export const EXTENSION_DIR = process.env.LOSSY_E2E_EXTENSION_DIR
  ? path.resolve(REPO_ROOT, process.env.LOSSY_E2E_EXTENSION_DIR)
  : path.join(REPO_ROOT, 'extension', 'dist');

/** The development build's id, fixed by the manifest's `key`. */
export const DEV_EXTENSION_ID = 'aadabcheogmbdceegpaeglmlmamgeehc';

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  /** The extension's service worker as it runs now (it changes after a reload). */
  worker: Worker;
  /** Closes the browser and opens it again on the same profile (cookies, storage and
   * IndexedDB kept): the service worker starts afresh. Updates `context` and `worker`. */
  restart(): Promise<void>;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** More Chromium flags, e.g. `--host-resolver-rules=…` or the fake microphone's. */
  args?: string[];
}

export async function launchExtension(options: LaunchOptions = {}): Promise<ExtensionBrowser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'lossy-e2e-chromium-'));
  const open = () =>
    chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        // The same quiet flags as playwright.config.ts: this machine's network is closed.
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
        ...(options.args ?? []),
        // Last, after the wrapper's and Playwright's own extension flags.
        `--disable-extensions-except=${EXTENSION_DIR}`,
        `--load-extension=${EXTENSION_DIR}`,
      ],
    });
  const context = await open();
  const worker = await extensionWorker(context);
  const browser: ExtensionBrowser = {
    context,
    extensionId: new URL(worker.url()).host,
    worker,
    restart: async () => {
      await browser.context.close();
      browser.context = await open();
      browser.worker = await extensionWorker(browser.context);
    },
    close: async () => {
      await browser.context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
  return browser;
}

/** The extension's running service worker, waiting for it to start if needed. */
export async function extensionWorker(context: BrowserContext): Promise<Worker> {
  const running = context
    .serviceWorkers()
    .find((worker) => worker.url().startsWith('chrome-extension://'));
  if (running) return running;
  return context.waitForEvent('serviceworker', {
    predicate: (worker) => worker.url().startsWith('chrome-extension://'),
    timeout: 15_000,
  });
}

export interface MarkerButton {
  name: string;
  x: number;
  y: number;
}

/**
 * The markers as assistive technology sees them: the overlay's shadow root is closed, so the
 * page (and Playwright's selectors) cannot reach in, but the accessibility tree does.
 */
export async function markerButtons(page: Page): Promise<MarkerButton[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const buttons: MarkerButton[] = [];
    for (const node of nodes) {
      const name = String(node.name?.value ?? '');
      if (node.role?.value !== 'button' || !name.startsWith('Note at')) continue;
      if (node.backendDOMNodeId === undefined) continue;
      const { model } = await cdp.send('DOM.getBoxModel', { backendNodeId: node.backendDOMNodeId });
      const [x1 = 0, y1 = 0, , , x3 = 0, y3 = 0] = model.border;
      buttons.push({ name, x: (x1 + x3) / 2, y: (y1 + y3) / 2 });
    }
    return buttons;
  } finally {
    await cdp.detach();
  }
}
