import {
  applyEvent,
  compareNotes,
  emptyNotes,
  markDeleted,
  upsertNotes,
  type NoteSet,
} from './merge';
import { DEFAULT_FILTER, visibleNotes } from './filter';
import { makeNote, type TestNote } from './testNotes';

const NOW = '2026-12-01T12:00:00Z';
const ids = (set: NoteSet<TestNote>) => set.sorted.map((note) => note.text);

describe('merging notes by version', () => {
  it('adds created notes in video order, whatever order they arrive in', () => {
    const late = makeNote({ text: 'late', timestampSeconds: 90 });
    const early = makeNote({ text: 'early', timestampSeconds: 5 });
    let set = applyEvent(emptyNotes<TestNote>(), { __typename: 'NoteCreated', note: late }, NOW);
    set = applyEvent(set, { __typename: 'NoteCreated', note: early }, NOW);
    expect(ids(set)).toEqual(['early', 'late']);
    expect(set.byId.get(early.id)).toBe(early);
  });

  it('orders notes at the same second by id', () => {
    const b = makeNote({ id: 'b', text: 'b', timestampSeconds: 10 });
    const a = makeNote({ id: 'a', text: 'a', timestampSeconds: 10 });
    const c = makeNote({ id: 'c', text: 'c', timestampSeconds: 9.5 });
    expect(ids(upsertNotes(emptyNotes<TestNote>(), [b, a, c]))).toEqual(['c', 'a', 'b']);
    expect(compareNotes(a, b)).toBeLessThan(0);
    expect(compareNotes(b, b)).toBe(0);
  });

  it('replaces a note with a newer version, in place', () => {
    const first = makeNote({ text: 'first', timestampSeconds: 1 });
    const note = makeNote({ text: 'old', version: 2, timestampSeconds: 2 });
    const last = makeNote({ text: 'last', timestampSeconds: 3 });
    let set = upsertNotes(emptyNotes<TestNote>(), [first, note, last], 'page');
    set = applyEvent(
      set,
      { __typename: 'NoteUpdated', note: { ...note, text: 'new', version: 3 } },
      NOW,
    );
    expect(ids(set)).toEqual(['first', 'new', 'last']);
    expect(set.byId.get(note.id)?.version).toBe(3);
  });

  it('never lets an older or equal version overwrite a newer one', () => {
    const note = makeNote({ text: 'v3', version: 3 });
    const set = upsertNotes(emptyNotes<TestNote>(), [note]);
    // A mutation answer (v2) and a replayed event (v3, other text) arriving late.
    expect(upsertNotes(set, [{ ...note, text: 'v2', version: 2 }])).toBe(set);
    expect(
      applyEvent(
        set,
        { __typename: 'NoteUpdated', note: { ...note, text: 'other', version: 3 } },
        NOW,
      ),
    ).toBe(set);
    expect(ids(set)).toEqual(['v3']);
  });

  it('keeps the newest of several versions in one batch', () => {
    const note = makeNote({ version: 1 });
    const set = upsertNotes(emptyNotes<TestNote>(), [
      { ...note, text: 'v4', version: 4 },
      { ...note, text: 'v2', version: 2 },
    ]);
    expect(ids(set)).toEqual(['v4']);
  });

  it('marks a note deleted, above the version it was held at', () => {
    const note = makeNote({ version: 4 });
    const set = applyEvent(
      upsertNotes(emptyNotes<TestNote>(), [note]),
      { __typename: 'NoteDeleted', noteId: note.id },
      NOW,
    );
    expect(set.byId.get(note.id)).toMatchObject({ deletedAt: NOW, version: 5 });
    expect(visibleNotes(set.sorted, DEFAULT_FILTER)).toEqual([]);
    expect(visibleNotes(set.sorted, { ...DEFAULT_FILTER, showDeleted: true })).toHaveLength(1);
  });

  it('does not let a stale update bring a deleted note back, but lets a restore', () => {
    const note = makeNote({ version: 4 });
    let set = upsertNotes(emptyNotes<TestNote>(), [note]);
    set = markDeleted(set, note.id, NOW);
    // The answer to an edit made before the deletion, arriving after its event.
    set = upsertNotes(set, [{ ...note, text: 'stale', version: 5 }]);
    expect(set.byId.get(note.id)?.deletedAt).toBe(NOW);
    expect(set.byId.get(note.id)?.text).toBe(note.text);
    // restoreNote: published as NoteUpdated with the version after the deletion's.
    set = applyEvent(
      set,
      { __typename: 'NoteUpdated', note: { ...note, version: 6, deletedAt: null } },
      NOW,
    );
    expect(set.byId.get(note.id)?.deletedAt).toBeNull();
    expect(visibleNotes(set.sorted, DEFAULT_FILTER)).toHaveLength(1);
  });

  it('keeps the exact deleted version from our own deleteNote answer', () => {
    const note = makeNote({ version: 2 });
    let set = upsertNotes(emptyNotes<TestNote>(), [note]);
    set = upsertNotes(set, [{ ...note, version: 3, deletedAt: '2026-12-01T11:59:59Z' }]);
    // Its event arrives afterwards: nothing changes.
    expect(markDeleted(set, note.id, NOW)).toBe(set);
  });

  it('keeps a page from bringing back a note deleted before its page loaded', () => {
    const note = makeNote({ version: 1 });
    let set = markDeleted(emptyNotes<TestNote>(), note.id, NOW);
    expect(set.tombstones.has(note.id)).toBe(true);
    // A page read before the deletion answers the note undeleted.
    set = upsertNotes(set, [note], 'page');
    expect(set.byId.has(note.id)).toBe(false);
    // The note as it is now (read after the event) enters, deleted.
    set = upsertNotes(set, [{ ...note, version: 2, deletedAt: NOW }], 'page');
    expect(set.byId.get(note.id)?.deletedAt).toBe(NOW);
    expect(set.tombstones.has(note.id)).toBe(false);
  });

  it('lets a live restore bring back a note deleted before its page loaded', () => {
    const note = makeNote({ version: 3 });
    let set = markDeleted(emptyNotes<TestNote>(), note.id, NOW);
    set = applyEvent(set, { __typename: 'NoteUpdated', note }, NOW);
    expect(ids(set)).toEqual([note.text]);
    expect(set.tombstones.size).toBe(0);
  });

  it('ignores summaries and repeated deletions', () => {
    const note = makeNote();
    const set = upsertNotes(emptyNotes<TestNote>(), [note]);
    expect(
      applyEvent(
        set,
        {
          __typename: 'VideoSummaryUpdated',
          videoId: 'video-1',
          totalCount: 1,
          countsByCategory: [],
          countsByStatus: [],
        },
        NOW,
      ),
    ).toBe(set);
    const deleted = markDeleted(set, note.id, NOW);
    expect(markDeleted(deleted, note.id, '2027-01-01T00:00:00Z')).toBe(deleted);
    const unknown = markDeleted(set, 'nope', NOW);
    expect(markDeleted(unknown, 'nope', NOW)).toBe(unknown);
  });

  it('keeps ten thousand notes sorted as pages and events arrive', () => {
    let set = emptyNotes<TestNote>();
    const notes = Array.from({ length: 10_000 }, (_, i) =>
      makeNote({ timestampSeconds: (i * 7919) % 10_000 }),
    );
    for (let page = 0; page < 100; page++) {
      set = upsertNotes(set, notes.slice(page * 100, page * 100 + 100), 'page');
    }
    const middle = makeNote({ timestampSeconds: 5000.5, text: 'live' });
    set = applyEvent(set, { __typename: 'NoteCreated', note: middle }, NOW);
    expect(set.sorted).toHaveLength(10_001);
    expect(set.sorted[5001]?.text).toBe('live');
    const outOfOrder = set.sorted.filter(
      (note, i) => i > 0 && compareNotes(set.sorted[i - 1] ?? note, note) >= 0,
    );
    expect(outOfOrder).toEqual([]);
  });
});
