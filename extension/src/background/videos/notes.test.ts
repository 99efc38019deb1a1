import { describe, expect, it } from 'vitest';

import { applyChange, changeOf, markersOf, type VideoNote } from './notes';

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

describe('applyChange', () => {
  it('keeps the highest version whatever the arrival order', () => {
    const notes = new Map<string, VideoNote>();
    expect(
      applyChange(notes, { kind: 'upsert', note: note('a', { version: 3, text: 'new' }) }),
    ).toBe(true);
    expect(
      applyChange(notes, { kind: 'upsert', note: note('a', { version: 2, text: 'old' }) }),
    ).toBe(false);
    expect(notes.get('a')?.text).toBe('new');
  });

  it('marks a deletion and lets a later version (a restore) back in', () => {
    const notes = new Map([['a', note('a', { version: 2 })]]);
    expect(applyChange(notes, { kind: 'deleted', noteId: 'a' })).toBe(true);
    expect(markersOf(notes.values())).toEqual([]);
    applyChange(notes, { kind: 'upsert', note: note('a', { version: 4 }) });
    expect(markersOf(notes.values())).toHaveLength(1);
  });
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

describe('changeOf', () => {
  it('reads the stream payloads', () => {
    expect(changeOf({ __typename: 'NoteCreated', note: note('a') })?.kind).toBe('upsert');
    expect(changeOf({ __typename: 'NoteDeleted', noteId: 'a', videoId: 'v' })).toEqual({
      kind: 'deleted',
      noteId: 'a',
    });
    expect(changeOf({ __typename: 'VideoSummaryUpdated' })).toBeNull();
  });
});
