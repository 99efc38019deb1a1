// Following the server's adapter manifest: asks `GET {server}/api/platform_adapters.json`
// (with `If-None-Match`, the server's `ETag` being the manifest version) when rules.ts says
// it is due, keeps what it uses in `chrome.storage.local`, and records a fallback to the
// generic adapter. Never throws: a failure keeps the manifest in use.

import { loadEmbeddedManifest, type ManifestLoad } from '@/platforms/load';

import type { TelemetryEvent } from '../outbox/store';
import {
  applyAnswer,
  fresh,
  inUse,
  isDue,
  pendingReport,
  reported,
  restore,
  versionOf,
  type Answer,
  type Followed,
} from './rules';

const STORAGE_KEY = 'platformManifest';

export interface FollowDeps {
  server(): string;
  /** `server_platform_adapters` is on: off, nothing is fetched. */
  enabled(): boolean;
  /** Queues a telemetry event; answers whether it was queued (telemetry may be off). */
  track(name: string, level: TelemetryEvent['level'], properties: Record<string, unknown>): boolean;
  fetch?: typeof fetch;
  now?: () => number;
}

export class ManifestFollower {
  private readonly embedded = loadEmbeddedManifest();
  private current: ManifestLoad = this.embedded;
  private followed: Followed;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: FollowDeps) {
    this.followed = fresh(deps.server());
  }

  /** The manifest in use: the server's, the embedded one, or a generic-only fallback. */
  get load(): ManifestLoad {
    return this.current;
  }

  /** Takes up what an earlier worker kept (for the server in use). */
  async restore(): Promise<void> {
    const stored: unknown = await chrome.storage.local
      .get(STORAGE_KEY)
      .then((items) => items[STORAGE_KEY])
      .catch(() => undefined);
    this.followed = restore(stored, this.deps.server());
    this.current = inUse(this.followed, this.embedded);
    await this.reportFallback();
  }

  /** Asks the server if it is time to (after a connection, on the worker's alarm). */
  check(): Promise<void> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  private async run(): Promise<void> {
    const server = this.deps.server();
    if (this.followed.server !== server) {
      // Another server's rules: start from the embedded ones.
      this.followed = fresh(server);
      this.current = this.embedded;
    }
    // A fallback not recorded yet (telemetry was off, or the worker stopped) is owed still.
    await this.reportFallback();
    const now = this.deps.now ?? Date.now;
    if (!this.deps.enabled() || !isDue(this.followed, now())) return;
    const answer = await this.ask(server, this.followed.etag);
    if (this.deps.server() !== server) return;
    const before = versionOf(this.current);
    const outcome = applyAnswer(this.followed, this.current, answer, now());
    this.followed = outcome.followed;
    if (outcome.load) {
      this.current = outcome.load;
      if (outcome.load.kind === 'ok') {
        this.deps.track('platforms.manifest_updated', 'INFO', {
          manifestVersion: versionOf(outcome.load),
          previous: before,
        });
      }
    }
    if (answer.kind === 'failed') {
      this.deps.track('platforms.manifest_fetch_failed', 'WARN', { message: answer.message });
    }
    await this.reportFallback();
    await this.save();
  }

  private async ask(server: string, etag: string | null): Promise<Answer> {
    const fetchImpl = this.deps.fetch ?? fetch;
    let response: Response;
    try {
      response = await fetchImpl(`${server}/api/platform_adapters.json`, {
        headers: etag ? { 'if-none-match': etag } : {},
        // The revalidation is ours (If-None-Match); the browser's cache would answer 200
        // from its copy and hide the 304.
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (error) {
      return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
    if (response.status === 304) return { kind: 'not-modified' };
    if (response.status !== 200) return { kind: 'failed', message: `HTTP ${response.status}` };
    let body: unknown;
    try {
      body = JSON.parse(await response.text());
    } catch (error) {
      // Not the server's manifest at all (a proxy's page, a cut answer): keep what is in use.
      return {
        kind: 'failed',
        message: `not JSON: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    return { kind: 'manifest', body, etag: response.headers.get('etag') };
  }

  private async reportFallback(): Promise<void> {
    const report = pendingReport(this.followed, this.current);
    if (!report) return;
    // Videos still get the generic identity; the server's adapters decide what is stored.
    if (this.deps.track('platforms.manifest_fallback', 'WARN', report.properties)) {
      this.followed = reported(this.followed, report.key);
      await this.save();
    }
  }

  private async save(): Promise<void> {
    try {
      await chrome.storage.local.set({ [STORAGE_KEY]: this.followed });
    } catch (error) {
      // Storage full: the manifest still applies until the worker stops.
      console.warn('[lossy] the adapter manifest cannot be kept', error);
    }
  }
}
