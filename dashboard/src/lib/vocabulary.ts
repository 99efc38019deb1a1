// The product's words for the schema's values, shared by every page: platform names
// (PROTOCOL.md section 9) and note categories (section 6), in the order the app lists them.

import type { NoteCategory } from '@/gql/graphql';

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

/** In the protocol's order, which is how every list and chip row shows them. */
export const CATEGORIES = [
  'PACING',
  'EDITING',
  'AUDIO',
  'COLOR',
  'VISUAL',
  'GRAPHICS',
  'CONTENT',
  'GENERAL',
] as const satisfies readonly NoteCategory[];

// The list must name every value the schema has: a new category fails the type check here.
type Unlisted<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
export const everyCategoryListed: Unlisted<NoteCategory, (typeof CATEGORIES)[number]> = true;

const CATEGORY_LABELS: Record<NoteCategory, string> = {
  PACING: 'Pacing',
  EDITING: 'Editing',
  AUDIO: 'Audio',
  COLOR: 'Color',
  VISUAL: 'Visual',
  GRAPHICS: 'Graphics',
  CONTENT: 'Content',
  GENERAL: 'General',
};

export function categoryLabel(category: NoteCategory): string {
  return CATEGORY_LABELS[category];
}
