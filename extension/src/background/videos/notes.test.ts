import { describe, expect, it } from 'vitest';

import { markersOf, type VideoNote } from './notes';

const note = (id: string, over: Partial<VideoNote> = {}): VideoNote => ({
  id,
  videoId: 'v',
  text: `note ${id}`,
  category: 'AUDIO',
  status: 'GHOST',
  timestampSeconds: 1,
  version: 1,
  deletedAt: null,
  ...over,
});

describe('markersOf', () => {
  it('shows visible notes in time order, without deleted, suppressed or cancelled ones', () => {
    const notes = [
      note('late', { timestampSeconds: 30 }),
      note('early', { timestampSeconds: 2, category: 'PACING' }),
      note('gone', { deletedAt: '2026-01-01T00:00:00Z' }),
      note('hidden', { status: 'SUPPRESSED' }),
      note('cancelled', { status: 'CANCELLED' }),
    ];
    expect(markersOf(notes)).toEqual([
      { noteId: 'early', seconds: 2, category: 'PACING', text: 'note early' },
      { noteId: 'late', seconds: 30, category: 'AUDIO', text: 'note late' },
    ]);
  });
});
