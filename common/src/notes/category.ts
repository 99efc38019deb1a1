// The note categories (PROTOCOL.md section 6) as the apps list, name and colour them: chips in
// lists, filters, and the markers on a video's timeline.

import type { NoteCategory } from '../schema';

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

/** Chosen to stay apart from each other and readable as a dot or tick beside dark text and
 * over video. */
export const CATEGORY_COLORS: Record<NoteCategory, string> = {
  PACING: '#d97706',
  EDITING: '#7c3aed',
  AUDIO: '#0891b2',
  COLOR: '#db2777',
  VISUAL: '#2563eb',
  GRAPHICS: '#059669',
  CONTENT: '#b45309',
  GENERAL: '#6b7280',
};

export function categoryLabel(category: NoteCategory): string {
  return CATEGORY_LABELS[category];
}
