// The note statuses (PROTOCOL.md section 6) as the apps list and name them, and which review
// moves a status allows (the server's rules; it refuses the others).

import type { NoteStatus } from '../schema';

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

/** Shown only when asked for. */
export const HIDDEN_STATUSES = ['SUPPRESSED', 'CANCELLED'] as const satisfies readonly NoteStatus[];

// The lists above must name every value the schema has: a new one fails the type check here.
type Unlisted<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
export const everyStatusListed: Unlisted<
  NoteStatus,
  (typeof LISTED_STATUSES)[number] | (typeof HIDDEN_STATUSES)[number]
> = true;

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

/** Confidence in 0..1 as a whole percentage. */
export function formatConfidence(confidence: number): string {
  return `${Math.round(Math.min(1, Math.max(0, confidence)) * 100)}%`;
}
