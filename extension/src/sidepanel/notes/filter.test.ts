import { DEFAULT_FILTER, visibleNotes } from './filter';
import type { Note } from './merge';

const base: Note = {
  id: '1',
  videoId: 'v',
  text: 't',
  category: 'AUDIO',
  confidence: 0.5,
  timestampSeconds: 1,
  status: 'GHOST',
  version: 1,
  deletedAt: null,
};
const notes: Note[] = [
  base,
  { ...base, id: '2', category: 'COLOR', status: 'RESOLVED' },
  { ...base, id: '3', status: 'SUPPRESSED' },
  { ...base, id: '4', deletedAt: 'then' },
];
const ids = (list: Note[]) => list.map((n) => n.id);

describe('visibleNotes', () => {
  it('shows every listed status by default, not suppressed, not deleted', () => {
    expect(ids(visibleNotes(notes, DEFAULT_FILTER))).toEqual(['1', '2']);
  });

  it('filters by category and status, and reveals suppressed on request', () => {
    expect(ids(visibleNotes(notes, { categories: ['COLOR'], statuses: [] }))).toEqual(['2']);
    expect(ids(visibleNotes(notes, { categories: [], statuses: ['SUPPRESSED'] }))).toEqual(['3']);
  });

  it('keeps a note being edited whatever the filter says', () => {
    expect(
      ids(visibleNotes(notes, { categories: ['COLOR'], statuses: [] }, new Set(['1']))),
    ).toEqual(['1', '2']);
  });
});
