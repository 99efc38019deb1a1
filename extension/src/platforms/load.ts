// Loading an adapter manifest the extension may not understand: the embedded copy, or one the
// server serves (`GET /api/platform_adapters.json`) after an upgrade. A manifest of another
// format (its `manifestVersion` major) or a broken one never fails video detection: the caller
// gets a generic-only manifest and the reason, to record in telemetry.

import embedded from './adapters.json';
import { compileManifest, ManifestError, type CompiledManifest } from './manifest';

/** The `manifestVersion` major this evaluator implements (docs/platforms.md). */
export const SUPPORTED_MANIFEST_MAJOR = 1;

export type ManifestLoad =
  | { kind: 'ok'; manifest: CompiledManifest }
  | {
      /** Only the generic adapter applies; `reason` says why, for telemetry. */
      kind: 'generic-fallback';
      reason: 'unsupported-version' | 'malformed';
      /** The manifest's own version string, when it had one. */
      manifestVersion: string | null;
      message: string;
      manifest: CompiledManifest;
    };

/** The major of a `manifestVersion` (`1.0.0+3f2a…` → 1), or null when it is not semver. */
export function manifestMajor(version: string): number | null {
  const match = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:[-+].*)?$/u.exec(version);
  return match ? Number(match[1]) : null;
}

/**
 * A manifest with no adapters: every URL gets the generic identity. It keeps the embedded
 * manifest's tracking parameters, as the server does with its adapters switched off.
 */
function genericOnly(manifestVersion: string): CompiledManifest {
  return compileManifest({
    manifestVersion,
    trackingParameters: embedded.trackingParameters,
    adapters: [],
  });
}

/** Checks the version, then compiles; never throws. */
export function loadManifest(raw: unknown): ManifestLoad {
  const version =
    typeof raw === 'object' && raw !== null && 'manifestVersion' in raw
      ? raw.manifestVersion
      : undefined;
  const manifestVersion = typeof version === 'string' ? version : null;
  const fallback = (
    reason: 'unsupported-version' | 'malformed',
    message: string,
  ): ManifestLoad => ({
    kind: 'generic-fallback',
    reason,
    manifestVersion,
    message,
    manifest: genericOnly(manifestVersion ?? ''),
  });
  if (manifestVersion !== null) {
    const major = manifestMajor(manifestVersion);
    if (major !== SUPPORTED_MANIFEST_MAJOR) {
      return fallback(
        'unsupported-version',
        `platform manifest version ${manifestVersion} is not ${SUPPORTED_MANIFEST_MAJOR}.x`,
      );
    }
  }
  try {
    return { kind: 'ok', manifest: compileManifest(raw) };
  } catch (error) {
    return fallback(
      'malformed',
      error instanceof ManifestError ? error.message : `platform manifest: ${String(error)}`,
    );
  }
}

/** The manifest built into the extension (`npm run manifest:export`). */
export function loadEmbeddedManifest(): ManifestLoad {
  return loadManifest(embedded);
}
