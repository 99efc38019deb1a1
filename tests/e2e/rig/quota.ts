// Makes Chromium itself run short of storage for an origin: the DevTools protocol's
// `Storage.overrideQuotaForOrigin` sets the quota the browser's quota manager enforces, so
// IndexedDB really refuses writes (QuotaExceededError) in every context of that origin,
// the extension's service worker included. Nothing in the page is replaced.

import { expect, type CDPSession, type Page } from '@playwright/test';

/** One small write to a database of the page's origin (not the extension's own): the name of
 * the error that refused it, or 'ok'. */
function probeWrite(): Promise<string> {
  return new Promise((resolve) => {
    const open = indexedDB.open('lossy-e2e-quota-probe', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('probe', { autoIncrement: true });
    open.onerror = () => resolve(open.error?.name ?? 'error');
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction('probe', 'readwrite');
      tx.objectStore('probe').add({ at: Date.now() });
      tx.oncomplete = () => {
        db.close();
        resolve('ok');
      };
      tx.onabort = () => {
        db.close();
        resolve(tx.error?.name ?? 'aborted');
      };
    };
  });
}

export interface QuotaOverride {
  /** What the origin stores now and the quota in force, as the browser counts them. */
  usage(): Promise<{ usage: number; quota: number }>;
  /**
   * Waits until IndexedDB refuses a write of the page's origin. Chromium's IndexedDB grants
   * writes from the free space it last heard of for up to 30 s before asking the quota
   * manager again, so a lower quota takes that long to bite.
   */
  enforced(): Promise<void>;
  /** Back to the browser's own quota; ends the override. */
  restore(): Promise<void>;
}

/**
 * Sets `origin`'s quota to `bytes`, through a DevTools session of `page` (any page will do;
 * the override lasts as long as that session, so keep it until `restore()`).
 */
export async function overrideQuota(
  page: Page,
  origin: string,
  bytes: number,
): Promise<QuotaOverride> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: bytes });
  let restored = false;
  return {
    usage: async () => {
      const { usage, quota } = await cdp.send('Storage.getUsageAndQuota', { origin });
      return { usage, quota };
    },
    enforced: async () => {
      await expect
        .poll(() => page.evaluate(probeWrite), {
          timeout: 40_000,
          intervals: [500],
          message: 'IndexedDB never refused a write under the lowered quota',
        })
        .toBe('QuotaExceededError');
    },
    restore: async () => {
      if (restored) return;
      restored = true;
      // Without a size the override ends.
      await cdp.send('Storage.overrideQuotaForOrigin', { origin });
      await cdp.detach();
    },
  };
}

/** The origin of an extension's pages and service worker. */
export function extensionOrigin(extensionId: string): string {
  return `chrome-extension://${extensionId}`;
}
