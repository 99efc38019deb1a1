// @vitest-environment node
// The follower against a fake `fetch` and a fake `chrome.storage.local` (the browser's, which
// a restarted worker reads again).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import embedded from '@/platforms/adapters.json';

import { ManifestFollower, type FollowDeps } from './follow';
import { CHECK_INTERVAL_MS, RETRY_AFTER_MS } from './rules';

const SERVER = 'http://127.0.0.1:4000';
const URL = `${SERVER}/api/platform_adapters.json`;

let stored: Record<string, unknown>;
let now: number;
let tracked: { name: string; properties: Record<string, unknown> }[];
let telemetryOn: boolean;
let enabled: boolean;

beforeEach(() => {
  stored = {};
  now = 1_800_000_000_000;
  tracked = [];
  telemetryOn = true;
  enabled = true;
  vi.stubGlobal('chrome', {
    storage: {
      local: {
        get: (key: string) =>
          Promise.resolve(key in stored ? { [key]: structuredClone(stored[key]) } : {}),
        set: (items: Record<string, unknown>) => {
          Object.assign(stored, structuredClone(items));
          return Promise.resolve();
        },
      },
    },
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

type Answer = () => Response | Promise<Response>;

/** A worker's follower; `answers` are the server's, in order. */
function follower(answers: Answer[]) {
  const fetch = vi.fn<(url: string, init?: RequestInit) => Promise<Response>>(() => {
    const next = answers.shift();
    if (!next) throw new Error('no answer left');
    return Promise.resolve(next());
  });
  const deps: FollowDeps = {
    server: () => SERVER,
    enabled: () => enabled,
    track: (name, _level, properties) => {
      if (!telemetryOn) return false;
      tracked.push({ name, properties });
      return true;
    },
    fetch: fetch as unknown as typeof globalThis.fetch,
    now: () => now,
  };
  return { follow: new ManifestFollower(deps), fetch };
}

const manifest =
  (version: string, etag: string | null = `"${version}"`) =>
  () =>
    new Response(JSON.stringify({ ...embedded, manifestVersion: version }), {
      status: 200,
      headers: etag ? { etag, 'content-type': 'application/json' } : {},
    });

function sentEtag(fetch: ReturnType<typeof follower>['fetch'], call: number): string | null {
  const headers = new Headers(fetch.mock.calls[call]?.[1]?.headers);
  return headers.get('if-none-match');
}

describe('following the server’s manifest', () => {
  it('uses a newer one it understands, keeps it across a restart, and revalidates by ETag', async () => {
    const first = follower([manifest('1.1.0+0123456789abcdef')]);
    await first.follow.restore();
    expect(first.follow.load.manifest.manifestVersion).toBe(embedded.manifestVersion);
    await first.follow.check();
    expect(first.fetch.mock.calls[0]?.[0]).toBe(URL);
    expect(sentEtag(first.fetch, 0)).toBeNull();
    expect(first.follow.load).toMatchObject({ kind: 'ok' });
    expect(first.follow.load.manifest.manifestVersion).toBe('1.1.0+0123456789abcdef');
    expect(tracked.map((t) => t.name)).toEqual(['platforms.manifest_updated']);

    // Within the hour, a new connection asks nothing.
    now += CHECK_INTERVAL_MS - 1;
    await first.follow.check();
    expect(first.fetch).toHaveBeenCalledTimes(1);

    // A restarted worker uses the kept manifest, and an hour later asks with its ETag.
    const second = follower([() => new Response(null, { status: 304 })]);
    await second.follow.restore();
    expect(second.follow.load.manifest.manifestVersion).toBe('1.1.0+0123456789abcdef');
    now += 1;
    await second.follow.check();
    expect(sentEtag(second.fetch, 0)).toBe('"1.1.0+0123456789abcdef"');
    expect(second.follow.load.manifest.manifestVersion).toBe('1.1.0+0123456789abcdef');
  });

  it('falls back to the generic adapter for a major it does not understand, recorded once', async () => {
    const first = follower([manifest('2.0.0')]);
    await first.follow.restore();
    await first.follow.check();
    expect(first.follow.load).toMatchObject({
      kind: 'generic-fallback',
      reason: 'unsupported-version',
      manifestVersion: '2.0.0',
    });
    expect(tracked).toEqual([
      {
        name: 'platforms.manifest_fallback',
        properties: expect.objectContaining({
          reason: 'unsupported-version',
          manifestVersion: '2.0.0',
        }) as Record<string, unknown>,
      },
    ]);

    // Restarted, and asked again an hour later: still the fallback, not recorded again.
    const second = follower([manifest('2.0.0')]);
    await second.follow.restore();
    expect(second.follow.load.kind).toBe('generic-fallback');
    now += CHECK_INTERVAL_MS;
    await second.follow.check();
    expect(second.fetch).toHaveBeenCalledTimes(1);
    expect(tracked).toHaveLength(1);
  });

  it('records a fallback once telemetry can take it', async () => {
    telemetryOn = false;
    const { follow } = follower([manifest('2.0.0')]);
    await follow.check();
    expect(follow.load.kind).toBe('generic-fallback');
    expect(tracked).toEqual([]);
    telemetryOn = true;
    await follow.check();
    expect(tracked.map((t) => t.name)).toEqual(['platforms.manifest_fallback']);
    await follow.check();
    expect(tracked).toHaveLength(1);
  });

  it('asks nothing with server_platform_adapters off', async () => {
    enabled = false;
    const { follow, fetch } = follower([]);
    await follow.check();
    expect(fetch).not.toHaveBeenCalled();
    expect(follow.load.kind).toBe('ok');
  });

  it('keeps what is in use when the fetch fails, and tries again a little later', async () => {
    const { follow, fetch } = follower([
      () => Promise.reject(new TypeError('Failed to fetch')),
      () => new Response('<html>proxy</html>', { status: 200 }),
      () => new Response('{}', { status: 502 }),
    ]);
    await follow.check();
    now += RETRY_AFTER_MS - 1;
    await follow.check();
    expect(fetch).toHaveBeenCalledTimes(1);
    now += 1;
    await follow.check();
    now += RETRY_AFTER_MS;
    await follow.check();
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(follow.load).toMatchObject({ kind: 'ok' });
    expect(follow.load.manifest.manifestVersion).toBe(embedded.manifestVersion);
    expect(tracked.map((t) => [t.name, t.properties.message])).toEqual([
      ['platforms.manifest_fetch_failed', 'Failed to fetch'],
      ['platforms.manifest_fetch_failed', expect.stringMatching(/^not JSON/)],
      ['platforms.manifest_fetch_failed', 'HTTP 502'],
    ]);
  });
});
