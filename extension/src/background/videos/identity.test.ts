import { describe, expect, it } from 'vitest';

import { loadEmbeddedManifest, loadManifest } from '@/platforms/load';

import { identityDrift, localIdentity } from './identity';

const WATCH = 'https://www.youtube.com/watch?v=aqz-KE-bpKQ&t=42';
const on = { serverAdaptersOn: true, localFallback: false };

describe('the extension’s reading of a page', () => {
  it('reads a YouTube watch page with the embedded manifest', async () => {
    expect(await localIdentity(loadEmbeddedManifest(), WATCH)).toEqual({
      platform: 'youtube',
      externalId: 'aqz-KE-bpKQ',
    });
  });

  it('reads the generic identity when the manifest is of a version it does not understand', async () => {
    const load = loadManifest({ manifestVersion: '9.0.0', trackingParameters: [], adapters: [] });
    expect(load.kind).toBe('generic-fallback');
    expect((await localIdentity(load, WATCH))?.platform).toBe('generic');
  });

  it('answers null for what is not a URL', async () => {
    expect(await localIdentity(loadEmbeddedManifest(), 'not a url')).toBeNull();
  });
});

describe('identity drift', () => {
  const local = { platform: 'youtube', externalId: 'aqz-KE-bpKQ' };

  it('is none when both read the same video', () => {
    expect(identityDrift(WATCH, local, { ...local }, on)).toBeNull();
  });

  it('names both readings when they differ', () => {
    const server = { platform: 'generic', externalId: 'abc' };
    expect(identityDrift(WATCH, local, server, on)).toEqual({
      url: WATCH,
      extension: local,
      server,
    });
  });

  it('is not drift when the server’s adapters are off or ours fell back', () => {
    const server = { platform: 'generic', externalId: 'abc' };
    expect(identityDrift(WATCH, local, server, { ...on, serverAdaptersOn: false })).toBeNull();
    expect(identityDrift(WATCH, local, server, { ...on, localFallback: true })).toBeNull();
  });
});
