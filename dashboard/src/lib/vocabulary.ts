// Platform names (PROTOCOL.md section 9) as the app lists them. The words for notes are shared
// with the extension (@lossy/common/notes).

/** Platform ids with the names people know them by; a generic page is "Web". */
export const PLATFORMS = [
  ['youtube', 'YouTube'],
  ['vimeo', 'Vimeo'],
  ['frameio', 'Frame.io'],
  ['iconik', 'iconik'],
  ['wipster', 'Wipster'],
  ['tiktok', 'TikTok'],
  ['generic', 'Web'],
] as const;

export type PlatformId = (typeof PLATFORMS)[number][0];

const PLATFORM_NAMES = new Map<string, string>(PLATFORMS);

/** "YouTube" for `youtube`; an id the app does not know yet is shown as it is. */
export function platformName(id: string): string {
  return PLATFORM_NAMES.get(id) ?? id;
}

/** Where one video lives: its platform's name, or for a generic page its host
 * ("cdn.example.com"), which says more than "Web". */
export function videoSiteName(platform: string, url: string): string {
  if (platform !== 'generic') return platformName(platform);
  try {
    return new URL(url).host || platformName(platform);
  } catch {
    return platformName(platform);
  }
}
