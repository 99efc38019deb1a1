// @vitest-environment node
import embedded from './adapters.json';
import { resolveVideo } from './identity';
import { loadEmbeddedManifest, loadManifest, manifestMajor } from './load';

const WATCH = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&utm_source=x';

test('the embedded manifest loads and knows YouTube', async () => {
  const load = loadEmbeddedManifest();
  expect(load.kind).toBe('ok');
  const identity = await resolveVideo(load.manifest, WATCH);
  expect(identity.platform).toBe('youtube');
});

test.each([
  ['1.0.0+ad19fdc7fc1dfdff', 1],
  ['2.3.4', 2],
  ['10.0.0-beta+x', 10],
  ['1.0', null],
  ['v1.0.0', null],
  ['', null],
])('manifestMajor(%j) is %j', (version, major) => {
  expect(manifestMajor(version)).toBe(major);
});

test('a manifest of another major falls back to the generic adapter and says so', async () => {
  const load = loadManifest({ ...embedded, manifestVersion: '2.0.0+0123456789abcdef' });
  expect(load).toMatchObject({
    kind: 'generic-fallback',
    reason: 'unsupported-version',
    manifestVersion: '2.0.0+0123456789abcdef',
  });
  const identity = await resolveVideo(load.manifest, WATCH);
  expect(identity.platform).toBe('generic');
  // Tracking parameters are still removed, as by the server with its adapters off.
  expect(identity.canonicalUrl).toBe('https://www.youtube.com/watch?v=dQw4w9WgXcQ');
  expect(identity.externalId).toMatch(/^[0-9a-f]{64}$/);
});

test('a manifest whose version is not semver is not understood either', () => {
  const load = loadManifest({ ...embedded, manifestVersion: 'latest' });
  expect(load).toMatchObject({ kind: 'generic-fallback', reason: 'unsupported-version' });
});

test.each([
  ['not an object', 'adapters'],
  ['no version', { trackingParameters: [], adapters: [] }],
  [
    'a broken regex',
    {
      ...embedded,
      adapters: [
        {
          ...embedded.adapters[0],
          patterns: [{ host: '(', path: '^/$', query: {}, optionalQuery: {}, fragment: null }],
        },
      ],
    },
  ],
])('a malformed manifest (%s) falls back without throwing', (_what, raw) => {
  const load = loadManifest(raw);
  expect(load).toMatchObject({ kind: 'generic-fallback', reason: 'malformed' });
  if (load.kind === 'generic-fallback') expect(load.message).toMatch(/malformed platform manifest/);
});
