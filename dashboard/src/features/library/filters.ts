// The library's filters live in the URL (`?q=…&platform=…&status=…`) so a filtered view can be
// reloaded, shared and reached with the back button. Unknown values are ignored rather than
// sent to the server, which would refuse them.

import type { NoteCategory, VideoStatus } from '@/gql/graphql';
import { CATEGORIES } from '@lossy/common/notes';

import { PLATFORMS, type PlatformId } from '@/lib/vocabulary';
import { pickChoice, withParam, type Choices } from '@/lib/choices';

export const STATUSES: Choices<VideoStatus> = [
  ['ACTIVE', 'Active'],
  ['ARCHIVED', 'Archived'],
];

export interface LibraryFilters {
  /** Trimmed search text; empty for none. */
  q: string;
  platform: PlatformId | null;
  status: VideoStatus | null;
}

export function parseFilters(params: URLSearchParams): LibraryFilters {
  const platform = params.get('platform');
  const status = params.get('status');
  return {
    q: (params.get('q') ?? '').trim(),
    platform: pickChoice(PLATFORMS, platform),
    status: pickChoice(STATUSES, status),
  };
}

export function hasFilters(filters: LibraryFilters): boolean {
  return filters.q !== '' || filters.platform !== null || filters.status !== null;
}

/** `params` with one filter set (or removed when `value` is empty), other parameters kept. */
export function withFilter(
  params: URLSearchParams,
  name: keyof LibraryFilters,
  value: string | null,
): URLSearchParams {
  return withParam(params, name, value);
}

/** `params` without any library filter. */
export function withoutFilters(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const name of ['q', 'platform', 'status']) next.delete(name);
  return next;
}

/** The categories that have notes, in the app's order. */
export function categoryChips<Count extends { category: NoteCategory; count: number }>(
  counts: readonly Count[],
): Count[] {
  return counts
    .filter((c) => c.count > 0)
    .sort((a, b) => CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category));
}

/** "audio" for `AUDIO`: the category as a word in running text. */
export function categoryName(category: NoteCategory): string {
  return category.toLowerCase();
}
