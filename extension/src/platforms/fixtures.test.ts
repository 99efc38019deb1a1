// @vitest-environment node
// Every shared platform URL fixture (tests/fixtures/platform_urls.json, which the Rust engine
// runs too) through this evaluator, field by field. The manifest is the embedded copy, or the
// one in LOSSY_ADAPTER_MANIFEST: tests/adapters/run.sh passes what the real server binary
// exports at that moment.

import { readFileSync } from 'node:fs';

import embedded from './adapters.json';
import { resolveVideo, type VideoIdentity } from './identity';
import { loadManifest } from './load';
import { compileManifest } from './manifest';
import { sha256Hex } from './sha256';
import { AdapterError } from './url';

const MIN_FIXTURES = 120;
const DEEP_LINK_SECONDS = 75.9;
const IDENTITY_FIELDS = [
  'platform',
  'externalId',
  'canonicalUrl',
  'embedUrl',
  'deepLink75',
  'extras',
] as const;
type Field = (typeof IDENTITY_FIELDS)[number];

interface Observed {
  platform: string;
  externalId: string;
  canonicalUrl: string;
  embedUrl: string;
  deepLink75: string;
  extras: Record<string, string>;
}

interface Fixture {
  url: string | null;
  urlRepeat?: { prefix: string; char: string; count: number };
  note?: string;
  expect?: Observed;
  error?: string;
}

const manifestPath = process.env.LOSSY_ADAPTER_MANIFEST;
const rawManifest: unknown = manifestPath
  ? JSON.parse(readFileSync(manifestPath, 'utf8'))
  : embedded;
const fixtures = JSON.parse(
  readFileSync(new URL('../../../tests/fixtures/platform_urls.json', import.meta.url), 'utf8'),
) as Fixture[];

function fixtureUrl(fixture: Fixture): string {
  if (fixture.url !== null) return fixture.url;
  if (!fixture.urlRepeat) throw new Error('url is null but urlRepeat is missing');
  const { prefix, char, count } = fixture.urlRepeat;
  return prefix + char.repeat(count);
}

/** A short printable form of a URL (the 8 KiB ones would flood the output). */
function shortUrl(url: string): string {
  return url.length > 120 ? `${url.slice(0, 100)}...(${url.length} chars)` : url;
}

function observed(identity: VideoIdentity): Observed {
  return {
    platform: identity.platform,
    externalId: identity.externalId,
    canonicalUrl: identity.canonicalUrl,
    embedUrl: identity.embedUrl,
    deepLink75: identity.deepLink(DEEP_LINK_SECONDS),
    extras: identity.extras,
  };
}

type Attempt = { identity: Observed } | { error: string };

/** Resolves a URL; an AdapterError becomes its code, anything else fails the test. */
async function attempt(
  compiled: ReturnType<typeof compileManifest>,
  url: string,
): Promise<Attempt> {
  try {
    return { identity: observed(await resolveVideo(compiled, url)) };
  } catch (error) {
    if (error instanceof AdapterError) return { error: error.code };
    throw error;
  }
}

/** Key-order-independent comparison of two plain string maps. */
function sameExtras(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k])
  );
}

function sameField(field: Field, expected: Observed, actual: Observed): boolean {
  return field === 'extras'
    ? sameExtras(expected.extras, actual.extras)
    : expected[field] === actual[field];
}

describe('SHA-256 through WebCrypto', () => {
  const vectors: [string, string][] = [
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    // 56 bytes: the padding spills into a second block.
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
    // Exactly one block of data, then a block of padding only.
    ['a'.repeat(64), 'ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb'],
    // The hash is over UTF-8 bytes ("é" is c3 a9), not UTF-16 code units.
    ['\u00e9', '4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c'],
  ];
  test.each(vectors)('sha256(%j)', async (input, hex) => {
    expect(await sha256Hex(input)).toBe(hex);
  });
});

describe(`platform URL fixtures against ${manifestPath ?? 'the embedded manifest'}`, () => {
  const load = loadManifest(rawManifest);
  if (load.kind !== 'ok') throw new Error(`the manifest does not load: ${load.message}`);
  const compiled = load.manifest;

  test(`there are at least ${MIN_FIXTURES} fixtures`, () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(MIN_FIXTURES);
  });

  test.each(fixtures.map((fixture, index) => [index, fixture] as const))(
    'fixture #%i',
    async (_index, fixture) => {
      const url = fixtureUrl(fixture);
      const label = `${JSON.stringify(shortUrl(url))} (${fixture.note ?? ''})`;
      expect(
        (fixture.expect === undefined) !== (fixture.error === undefined),
        `${label}: needs exactly one of expect and error`,
      ).toBe(true);
      const result = await attempt(compiled, url);
      if (fixture.error !== undefined) {
        expect(result, label).toEqual({ error: fixture.error });
        return;
      }
      const expected = fixture.expect as Observed;
      expect(result, label).toHaveProperty('identity');
      if (!('identity' in result)) return;
      const mismatches = IDENTITY_FIELDS.filter(
        (f) => !sameField(f, expected, result.identity),
      ).map(
        (f) =>
          `${f}: expected ${JSON.stringify(expected[f])}, got ${JSON.stringify(result.identity[f])}`,
      );
      expect(mismatches, label).toEqual([]);
      // Resolving the canonical URL must give the same video.
      const again = await attempt(compiled, result.identity.canonicalUrl);
      expect(again, `${label}: idempotence`).toHaveProperty('identity');
      if (!('identity' in again)) return;
      expect([again.identity.platform, again.identity.externalId], `${label}: idempotence`).toEqual(
        [result.identity.platform, result.identity.externalId],
      );
    },
  );
});
