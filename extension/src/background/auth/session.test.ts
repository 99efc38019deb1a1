import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { AuthSession } from './session';

// Just enough of `chrome` for the session: storage, alarms and tabs.
function fakeChrome() {
  const storage = new Map<string, unknown>();
  const tabs: string[] = [];
  const chromeStub = {
    storage: {
      local: {
        get: (key: string) => Promise.resolve(storage.has(key) ? { [key]: storage.get(key) } : {}),
        set: (items: Record<string, unknown>) => {
          for (const [key, value] of Object.entries(items)) storage.set(key, value);
          return Promise.resolve();
        },
      },
    },
    alarms: { create: () => Promise.resolve(), clear: () => Promise.resolve(true) },
    tabs: {
      create: ({ url }: { url: string }) => {
        tabs.push(url);
        return Promise.resolve({});
      },
    },
  };
  vi.stubGlobal('chrome', chromeStub);
  return { storage, tabs };
}

const pair = (minutes: number) => ({
  token: `jwt-${minutes}`,
  expiresAt: new Date(Date.now() + minutes * 60_000).toISOString(),
  refreshToken: `refresh-${minutes}`,
  refreshExpiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
});

function answer(status: number, body: unknown) {
  return vi.fn(() => Promise.resolve(new Response(JSON.stringify(body), { status })));
}

let env: ReturnType<typeof fakeChrome>;

beforeEach(() => {
  env = fakeChrome();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('AuthSession', () => {
  it('signs in with the web session cookie and keeps the pair', async () => {
    const fetch = answer(200, pair(15));
    vi.stubGlobal('fetch', fetch);
    const session = new AuthSession(
      () => 'http://lossy.test',
      () => undefined,
    );
    expect((await session.signIn(false)).ok).toBe(true);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://lossy.test/api/auth/extension_token');
    expect(init.credentials).toBe('include');
    expect(JSON.parse(init.body as string)).toMatchObject({ requestedVersion: 2 });
    expect(await session.token()).toBe('jwt-15');
    // A new worker finds it in storage.
    const reloaded = new AuthSession(
      () => 'http://lossy.test',
      () => undefined,
    );
    await reloaded.load();
    expect(reloaded.signedIn).toBe(true);
  });

  it('opens the sign-in page only for a click without a web session', async () => {
    vi.stubGlobal('fetch', answer(401, { error: { code: 'UNAUTHENTICATED', message: 'sign in' } }));
    const session = new AuthSession(
      () => 'http://lossy.test',
      () => undefined,
    );
    expect((await session.signIn(false)).needsWebSignIn).toBe(true);
    expect(env.tabs).toEqual([]);
    await session.signIn(true);
    expect(env.tabs).toEqual(['http://lossy.test/sign-in']);
    expect(session.state).toMatchObject({ kind: 'signed-out', reason: 'never' });
  });

  it('refreshes a token with fewer than five minutes left before handing it out', async () => {
    vi.stubGlobal('fetch', answer(200, pair(4)));
    const session = new AuthSession(
      () => 'http://lossy.test',
      () => undefined,
    );
    await session.signIn(false);
    const refresh = answer(200, pair(15));
    vi.stubGlobal('fetch', refresh);
    expect(await session.token()).toBe('jwt-15');
    const [url] = refresh.mock.calls[0] as unknown as [string];
    expect(url).toBe('http://lossy.test/api/auth/refresh');
  });

  it('signs out as revoked when the refresh says DEVICE_REVOKED, and says so', async () => {
    vi.stubGlobal('fetch', answer(200, pair(15)));
    let changes = 0;
    const session = new AuthSession(
      () => 'http://lossy.test',
      () => (changes += 1),
    );
    await session.signIn(false);
    vi.stubGlobal(
      'fetch',
      answer(403, { error: { code: 'DEVICE_REVOKED', message: 'this device was revoked' } }),
    );
    await session.refresh();
    expect(session.state).toEqual({
      kind: 'signed-out',
      reason: 'revoked',
      message: 'this device was revoked',
    });
    expect(await session.token()).toBeNull();
    expect(changes).toBe(2);
  });

  it('keeps the pair when the server cannot be reached', async () => {
    vi.stubGlobal('fetch', answer(200, pair(15)));
    const session = new AuthSession(
      () => 'http://lossy.test',
      () => undefined,
    );
    await session.signIn(false);
    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))),
    );
    await session.refresh();
    expect(session.signedIn).toBe(true);
  });

  it('spends the refresh token once for concurrent callers', async () => {
    vi.stubGlobal('fetch', answer(200, pair(15)));
    const session = new AuthSession(
      () => 'http://lossy.test',
      () => undefined,
    );
    await session.signIn(false);
    const refresh = answer(200, pair(15));
    vi.stubGlobal('fetch', refresh);
    await Promise.all([session.refresh(), session.refresh(), session.refresh()]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });
});
