// @vitest-environment node
import { describe, expect, it } from 'vitest';

import embedded from '@/platforms/adapters.json';
import { loadEmbeddedManifest, loadManifest } from '@/platforms/load';

import {
  applyAnswer,
  CHECK_INTERVAL_MS,
  fresh,
  inUse,
  isDue,
  pendingReport,
  reported,
  restore,
  RETRY_AFTER_MS,
  versionOf,
} from './rules';

const SERVER = 'http://127.0.0.1:4000';
const NOW = 1_800_000_000_000;
const EMBEDDED = loadEmbeddedManifest();
/** The same rules under another version of the same format (a server a release ahead). */
const newer = { ...embedded, manifestVersion: '1.1.0+0123456789abcdef' };
const unknownMajor = { ...embedded, manifestVersion: '2.0.0' };

describe('when to ask the server', () => {
  it('asks at once the first time, then at most once an interval', () => {
    expect(isDue(fresh(SERVER), NOW)).toBe(true);
    const checked = { ...fresh(SERVER), checkedAt: NOW };
    expect(isDue(checked, NOW + CHECK_INTERVAL_MS - 1)).toBe(false);
    expect(isDue(checked, NOW + CHECK_INTERVAL_MS)).toBe(true);
  });

  it('waits a little after a failure, even when a check is overdue', () => {
    const failed = { ...fresh(SERVER), failedAt: NOW };
    expect(isDue(failed, NOW + RETRY_AFTER_MS - 1)).toBe(false);
    expect(isDue(failed, NOW + RETRY_AFTER_MS)).toBe(true);
  });
});

describe('what an answer changes', () => {
  it('replaces the embedded manifest with a newer one the extension understands', () => {
    const { followed, load } = applyAnswer(
      fresh(SERVER),
      EMBEDDED,
      { kind: 'manifest', body: newer, etag: '"1.1.0+0123456789abcdef"' },
      NOW,
    );
    expect(load?.kind).toBe('ok');
    expect(load && versionOf(load)).toBe('1.1.0+0123456789abcdef');
    expect(followed).toMatchObject({
      raw: newer,
      etag: '"1.1.0+0123456789abcdef"',
      checkedAt: NOW,
      failedAt: null,
    });
    // A restarted worker uses it.
    expect(versionOf(inUse(followed, EMBEDDED))).toBe('1.1.0+0123456789abcdef');
  });

  it('keeps the manifest in use when the server answers the same version', () => {
    const { followed, load } = applyAnswer(
      fresh(SERVER),
      EMBEDDED,
      { kind: 'manifest', body: embedded, etag: '"e"' },
      NOW,
    );
    expect(load).toBeNull();
    expect(followed).toMatchObject({ raw: null, etag: '"e"', checkedAt: NOW });
  });

  it('falls back to the generic adapter for a manifest of another major, and says why', () => {
    const { followed, load } = applyAnswer(
      fresh(SERVER),
      EMBEDDED,
      { kind: 'manifest', body: unknownMajor, etag: null },
      NOW,
    );
    expect(load).toMatchObject({
      kind: 'generic-fallback',
      reason: 'unsupported-version',
      manifestVersion: '2.0.0',
    });
    expect(load?.manifest.adapters).toEqual([]);
    // Kept, so a restarted worker falls back as well instead of using the embedded rules.
    expect(inUse(followed, EMBEDDED).kind).toBe('generic-fallback');
    // Asked again later: the same version changes nothing.
    const again = applyAnswer(
      followed,
      inUse(followed, EMBEDDED),
      { kind: 'manifest', body: unknownMajor, etag: null },
      NOW + CHECK_INTERVAL_MS,
    );
    expect(again.load).toBeNull();
  });

  it('falls back for a malformed manifest too', () => {
    const broken = { manifestVersion: '1.2.0', trackingParameters: 'utm_*', adapters: [] };
    const { load } = applyAnswer(
      fresh(SERVER),
      EMBEDDED,
      { kind: 'manifest', body: broken, etag: null },
      NOW,
    );
    expect(load).toMatchObject({ kind: 'generic-fallback', reason: 'malformed' });
  });

  it('follows the server back from a fallback to a manifest it understands', () => {
    const fallback = loadManifest(unknownMajor);
    const { load } = applyAnswer(
      { ...fresh(SERVER), raw: unknownMajor },
      fallback,
      { kind: 'manifest', body: newer, etag: null },
      NOW,
    );
    expect(load?.kind).toBe('ok');
  });

  it('keeps what is in use on a failure or a 304', () => {
    const before = { ...fresh(SERVER), raw: newer, etag: '"x"', checkedAt: NOW - 1 };
    const failed = applyAnswer(before, EMBEDDED, { kind: 'failed', message: 'HTTP 502' }, NOW);
    expect(failed).toEqual({ followed: { ...before, failedAt: NOW }, load: null });
    const same = applyAnswer(failed.followed, EMBEDDED, { kind: 'not-modified' }, NOW + 1);
    expect(same).toEqual({
      followed: { ...before, checkedAt: NOW + 1, failedAt: null },
      load: null,
    });
  });
});

describe('recording a fallback', () => {
  it('is owed once per manifest version', () => {
    const load = loadManifest(unknownMajor);
    const owed = pendingReport(fresh(SERVER), load);
    expect(owed).toEqual({
      key: '2.0.0',
      properties: {
        reason: 'unsupported-version',
        manifestVersion: '2.0.0',
        message: expect.stringContaining('2.0.0') as string,
      },
    });
    const done = reported(fresh(SERVER), owed?.key ?? 'none');
    expect(pendingReport(done, load)).toBeNull();
    expect(
      pendingReport(done, loadManifest({ ...embedded, manifestVersion: '3.0.0' })),
    ).not.toBeNull();
  });

  it('is never owed for a manifest the extension understands', () => {
    expect(pendingReport(fresh(SERVER), EMBEDDED)).toBeNull();
  });
});

describe('what storage kept', () => {
  it('is taken up for the same server only', () => {
    const kept = { ...fresh(SERVER), raw: newer, etag: '"x"', checkedAt: NOW, reported: ['2.0.0'] };
    expect(restore(JSON.parse(JSON.stringify(kept)), SERVER)).toEqual(kept);
    expect(restore(kept, 'https://lossy.example')).toEqual(fresh('https://lossy.example'));
  });

  it('is read defensively', () => {
    expect(restore(undefined, SERVER)).toEqual(fresh(SERVER));
    expect(
      restore({ server: SERVER, etag: 3, checkedAt: 'soon', reported: ['a', 1] }, SERVER),
    ).toEqual({ ...fresh(SERVER), reported: ['a'] });
  });
});
