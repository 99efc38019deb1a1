// Following the server's adapter manifest (`GET {server}/api/platform_adapters.json`), the
// pure part: when to ask, what an answer means for the manifest in use, and when a fallback
// to the generic adapter is recorded. The fetches and storage are in follow.ts.

import { loadManifest, type ManifestLoad } from '@/platforms/load';

/** A manifest the server answered is asked again at most this often. */
export const CHECK_INTERVAL_MS = 60 * 60 * 1000;
/** After a failed fetch (the server down, an error, not a JSON answer), the next try. */
export const RETRY_AFTER_MS = 5 * 60 * 1000;

/** What `chrome.storage.local` keeps, so a restarted worker uses the same manifest. */
export interface Followed {
  /** The server the manifest came from: another server starts from the embedded one. */
  server: string;
  /** The server's manifest as it answered it, when it replaced the embedded one (also one
   * the extension does not understand: the fallback then holds after a restart too). */
  raw: unknown;
  /** The answer's `ETag`, sent back as `If-None-Match`. */
  etag: string | null;
  /** When the server last answered (a manifest or 304). */
  checkedAt: number | null;
  /** When the last fetch failed; tries wait `RETRY_AFTER_MS` after it. */
  failedAt: number | null;
  /** The manifest versions whose fallback was recorded (`platforms.manifest_fallback` is
   * sent once per version; `''` for a manifest without one). */
  reported: string[];
}

export function fresh(server: string): Followed {
  return { server, raw: null, etag: null, checkedAt: null, failedAt: null, reported: [] };
}

/** What storage kept, for this server; anything else starts afresh. */
export function restore(value: unknown, server: string): Followed {
  if (typeof value !== 'object' || value === null) return fresh(server);
  const stored = value as Partial<Record<keyof Followed, unknown>>;
  if (stored.server !== server) return fresh(server);
  const time = (t: unknown) => (typeof t === 'number' && Number.isFinite(t) ? t : null);
  return {
    server,
    raw: stored.raw ?? null,
    etag: typeof stored.etag === 'string' ? stored.etag : null,
    checkedAt: time(stored.checkedAt),
    failedAt: time(stored.failedAt),
    reported: Array.isArray(stored.reported)
      ? stored.reported.filter((v): v is string => typeof v === 'string')
      : [],
  };
}

/** The manifest to use: the server's when one was kept, else the embedded one. */
export function inUse(followed: Followed, embedded: ManifestLoad): ManifestLoad {
  return followed.raw === null ? embedded : loadManifest(followed.raw);
}

/** The version of a manifest in use (a fallback keeps the version it could not read). */
export function versionOf(load: ManifestLoad): string | null {
  return load.kind === 'ok' ? load.manifest.manifestVersion : load.manifestVersion;
}

/** Whether to ask the server now: at most once per `CHECK_INTERVAL_MS` after an answer,
 * and `RETRY_AFTER_MS` after a failure. */
export function isDue(followed: Followed, now: number): boolean {
  if (followed.failedAt !== null && now - followed.failedAt < RETRY_AFTER_MS) return false;
  return followed.checkedAt === null || now - followed.checkedAt >= CHECK_INTERVAL_MS;
}

/** The server's answer, as follow.ts read it. */
export type Answer =
  /** 304: the manifest with our `If-None-Match` is still the server's. */
  | { kind: 'not-modified' }
  /** A JSON body (parsed; not necessarily a manifest). */
  | { kind: 'manifest'; body: unknown; etag: string | null }
  /** No usable answer: the network, a status other than 200 and 304, a body that is not
   * JSON (a proxy's page, a cut answer). What is in use stays. */
  | { kind: 'failed'; message: string };

export interface Outcome {
  followed: Followed;
  /** The manifest to use from now on, or null to keep the one in use. */
  load: ManifestLoad | null;
}

/**
 * What an answer changes. A manifest of the version in use changes nothing; any other one
 * is loaded: one the extension understands replaces the one in use, one it does not (another
 * `manifestVersion` major, or malformed) makes the generic adapter the only one (`load` is
 * then a `generic-fallback`, to record with `pendingReport`).
 */
export function applyAnswer(
  followed: Followed,
  current: ManifestLoad,
  answer: Answer,
  now: number,
): Outcome {
  switch (answer.kind) {
    case 'failed':
      return { followed: { ...followed, failedAt: now }, load: null };
    case 'not-modified':
      return { followed: { ...followed, checkedAt: now, failedAt: null }, load: null };
    case 'manifest': {
      const answered = { ...followed, etag: answer.etag, checkedAt: now, failedAt: null };
      const version = (answer.body as { manifestVersion?: unknown } | null)?.manifestVersion;
      if (typeof version === 'string' && version === versionOf(current)) {
        return { followed: answered, load: null };
      }
      return { followed: { ...answered, raw: answer.body }, load: loadManifest(answer.body) };
    }
  }
}

export interface FallbackReport {
  /** The key in `Followed.reported`. */
  key: string;
  properties: { reason: string; manifestVersion: string | null; message: string };
}

/** The telemetry a fallback still owes (once per manifest version), or null. */
export function pendingReport(followed: Followed, load: ManifestLoad): FallbackReport | null {
  if (load.kind !== 'generic-fallback') return null;
  const key = load.manifestVersion ?? '';
  if (followed.reported.includes(key)) return null;
  return {
    key,
    properties: {
      reason: load.reason,
      manifestVersion: load.manifestVersion,
      message: load.message,
    },
  };
}

export function reported(followed: Followed, key: string): Followed {
  return followed.reported.includes(key)
    ? followed
    : { ...followed, reported: [...followed.reported, key] };
}
