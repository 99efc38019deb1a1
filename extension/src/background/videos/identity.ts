// The extension's own reading of a page's video identity, from the embedded adapter manifest
// (src/platforms). The server decides the stored identity (`detectVideo`); the worker compares
// the two so that adapters drifting apart between the extension and the server show up in
// telemetry instead of as silently split videos.

import { resolveVideo, type VideoIdentity } from '@/platforms/identity';
import type { ManifestLoad } from '@/platforms/load';

export interface IdentityDrift {
  url: string;
  extension: { platform: string; externalId: string };
  server: { platform: string; externalId: string };
}

/** The identity the extension reads for `url`, or null when it is not a video URL at all. */
export async function localIdentity(
  load: ManifestLoad,
  url: string,
): Promise<Pick<VideoIdentity, 'platform' | 'externalId'> | null> {
  try {
    const { platform, externalId } = await resolveVideo(load.manifest, url);
    return { platform, externalId };
  } catch {
    return null;
  }
}

/**
 * How the server's identity differs from the extension's, or null when they agree. With the
 * server's adapters switched off (`server_platform_adapters`) it stores the generic identity
 * on purpose, and a generic fallback of our own (a manifest we cannot read) is reported on its
 * own: neither is drift.
 */
export function identityDrift(
  url: string,
  local: Pick<VideoIdentity, 'platform' | 'externalId'> | null,
  server: { platform: string; externalId: string },
  context: { serverAdaptersOn: boolean; localFallback: boolean },
): IdentityDrift | null {
  if (!local || !context.serverAdaptersOn || context.localFallback) return null;
  if (local.platform === server.platform && local.externalId === server.externalId) return null;
  return {
    url,
    extension: { platform: local.platform, externalId: local.externalId },
    server: { platform: server.platform, externalId: server.externalId },
  };
}
