// The product's words for the schema's note values (the web app uses the same ones; the
// extension is its own package, so it keeps its own small copy), and each category's colour.

import type { NoteCategory, NoteStatus } from '@/gql/graphql';

/** In the protocol's order (PROTOCOL.md section 6), which is how filters list them. */
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

/** Statuses a list shows by default (all but suppressed and cancelled), in review order. */
export const LISTED_STATUSES = [
  'GHOST',
  'FIRMED',
  'RESOLVED',
  'QUEUED',
  'POSTING',
  'POSTED',
  'FAILED',
  'NEEDS_INTERVENTION',
] as const satisfies readonly NoteStatus[];

export const HIDDEN_STATUSES = ['SUPPRESSED', 'CANCELLED'] as const satisfies readonly NoteStatus[];

// The lists must name every value the schema has: a new one fails the type check here.
type Unlisted<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
export const everyCategoryListed: Unlisted<NoteCategory, (typeof CATEGORIES)[number]> = true;
export const everyStatusListed: Unlisted<
  NoteStatus,
  (typeof LISTED_STATUSES)[number] | (typeof HIDDEN_STATUSES)[number]
> = true;

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

/** Each category's colour, also used by the content script's markers' palette in spirit;
 * chosen to stay readable as a dot beside dark text. */
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

const STATUS_LABELS: Record<NoteStatus, string> = {
  GHOST: 'New',
  FIRMED: 'Kept',
  RESOLVED: 'Resolved',
  SUPPRESSED: 'Suppressed',
  CANCELLED: 'Cancelled',
  QUEUED: 'Queued',
  POSTING: 'Posting',
  POSTED: 'Posted',
  FAILED: 'Posting failed',
  NEEDS_INTERVENTION: 'Needs you',
};

export function categoryLabel(category: NoteCategory): string {
  return CATEGORY_LABELS[category];
}

export function statusLabel(status: NoteStatus): string {
  return STATUS_LABELS[status];
}

/** Whether "Keep" (to `FIRMED`) is a move the server allows from `status`. */
export function canKeep(status: NoteStatus): boolean {
  return [
    'GHOST',
    'RESOLVED',
    'SUPPRESSED',
    'CANCELLED',
    'QUEUED',
    'FAILED',
    'NEEDS_INTERVENTION',
  ].includes(status);
}

/** Whether "Resolve" (to `RESOLVED`) is a move the server allows from `status`. */
export function canResolve(status: NoteStatus): boolean {
  return ['GHOST', 'FIRMED', 'POSTED'].includes(status);
}

export function formatConfidence(confidence: number): string {
  return `${Math.round(Math.min(1, Math.max(0, confidence)) * 100)}%`;
}

/** Seconds as the player shows them: `1:05`, `1:02:03`. */
export function formatTime(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
