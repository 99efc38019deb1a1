import { applyEvent, EMPTY_NOTES, markDeleted, upsertNotes, type Note } from './merge';

function note(id: string, version: number, text = `v${version}`, timestampSeconds = 1): Note {
  return {
    id,
    videoId: 'v',
    text,
    category: 'GENERAL',
    confidence: 1,
    timestampSeconds,
    status: 'GHOST',
    version,
    deletedAt: null,
  };
}

describe('note merging by version', () => {
  it('lets a newer version replace, never an older or equal one', () => {
    let set = upsertNotes(EMPTY_NOTES, [note('a', 2)]);
    set = upsertNotes(set, [note('a', 1, 'old')]);
    expect(set.byId.get('a')?.text).toBe('v2');
    const same = upsertNotes(set, [note('a', 2, 'same version, other text')]);
    expect(same).toBe(set);
    set = upsertNotes(set, [note('a', 3)]);
    expect(set.byId.get('a')?.text).toBe('v3');
  });

  it('keeps video order', () => {
    const set = upsertNotes(EMPTY_NOTES, [
      note('b', 1, 'b', 9),
      note('a', 1, 'a', 3),
      note('c', 1, 'c', 3),
    ]);
    expect(set.sorted.map((n) => n.id)).toEqual(['a', 'c', 'b']);
  });

  it('marks a deletion at the next version, so an older page cannot undo it but a restore can', () => {
    let set = upsertNotes(EMPTY_NOTES, [note('a', 4)]);
    set = applyEvent(set, { __typename: 'NoteDeleted', noteId: 'a', videoId: 'v' }, 'now');
    expect(set.byId.get('a')).toMatchObject({ deletedAt: 'now', version: 5 });
    set = upsertNotes(set, [note('a', 4)]);
    expect(set.byId.get('a')?.deletedAt).toBe('now');
    set = applyEvent(set, { __typename: 'NoteUpdated', note: note('a', 6) }, 'later');
    expect(set.byId.get('a')?.deletedAt).toBeNull();
  });

  it('ignores a deletion of a note it does not hold', () => {
    expect(markDeleted(EMPTY_NOTES, 'x', 'now')).toBe(EMPTY_NOTES);
  });
});
