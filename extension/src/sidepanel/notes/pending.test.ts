import { upsertNotes } from '@lossy/common/notes';

import { EMPTY_NOTES, type Note } from './note';
import { looksDeleted, settle, type Pending } from './pending';

const note: Note = {
  id: 'n',
  videoId: 'v',
  text: 'Too dark',
  category: 'GENERAL',
  confidence: 1,
  timestampSeconds: 12.5,
  status: 'FIRMED',
  version: 3,
  deletedAt: null,
};

describe('pending writes', () => {
  it('a typed note stops waiting when the server publishes it', () => {
    const create: Pending = {
      kind: 'create',
      key: 'k',
      videoId: 'v',
      text: 'Too dark',
      timestampSeconds: 12.5,
    };
    expect(settle([create], EMPTY_NOTES)).toHaveLength(1);
    expect(settle([create], upsertNotes(EMPTY_NOTES, [note]))).toHaveLength(0);
  });

  it('a delete then its undo both settle, and the note shows again', () => {
    const writes: Pending[] = [
      { kind: 'delete', key: 'd', noteId: 'n', baseVersion: 3 },
      { kind: 'restore', key: 'r', noteId: 'n', baseVersion: 3 },
    ];
    expect(looksDeleted(note, writes.slice(0, 1))).toBe(true);
    expect(looksDeleted(note, writes)).toBe(false);
    const deleted = upsertNotes(EMPTY_NOTES, [{ ...note, version: 4, deletedAt: 'now' }]);
    expect(settle(writes, deleted).map((w) => w.key)).toEqual(['r']);
    const restored = upsertNotes(EMPTY_NOTES, [{ ...note, version: 5 }]);
    expect(settle(writes, restored)).toEqual([]);
  });

  it('an edit stops waiting at any newer version', () => {
    const update: Pending = {
      kind: 'update',
      key: 'u',
      noteId: 'n',
      baseVersion: 3,
      change: { text: 'x' },
    };
    expect(settle([update], upsertNotes(EMPTY_NOTES, [note]))).toHaveLength(1);
    expect(settle([update], upsertNotes(EMPTY_NOTES, [{ ...note, version: 4 }]))).toHaveLength(0);
  });
});
