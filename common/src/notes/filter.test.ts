import {
  DEFAULT_FILTER,
  isFiltering,
  shownStatuses,
  toggled,
  visibleNotes,
  type NoteFilter,
} from './filter';
import { makeNote } from './testNotes';

const ghost = makeNote({ text: 'ghost', status: 'GHOST', category: 'AUDIO', confidence: 0.9 });
const kept = makeNote({ text: 'kept', status: 'FIRMED', category: 'PACING', confidence: 0.5 });
const resolved = makeNote({ text: 'resolved', status: 'RESOLVED', category: 'AUDIO' });
const suppressed = makeNote({ text: 'suppressed', status: 'SUPPRESSED', confidence: 0.2 });
const cancelled = makeNote({ text: 'cancelled', status: 'CANCELLED' });
const deleted = makeNote({ text: 'deleted', deletedAt: '2026-12-01T00:00:00Z' });
const all = [ghost, kept, resolved, suppressed, cancelled, deleted];

const texts = (filter: Partial<NoteFilter>, keep?: Set<string>) =>
  visibleNotes(all, { ...DEFAULT_FILTER, ...filter }, keep).map((note) => note.text);

describe('toggling a filter value', () => {
  it('adds or removes a value as asked, or flips it, never twice', () => {
    expect(toggled(['AUDIO'], 'COLOR', true)).toEqual(['AUDIO', 'COLOR']);
    expect(toggled(['AUDIO'], 'AUDIO', true)).toEqual(['AUDIO']);
    expect(toggled(['AUDIO', 'COLOR'], 'AUDIO', false)).toEqual(['COLOR']);
    expect(toggled(['AUDIO'], 'AUDIO')).toEqual([]);
    expect(toggled([], 'AUDIO')).toEqual(['AUDIO']);
  });
});

describe('filtering notes like the server', () => {
  it('hides suppressed, cancelled and deleted notes by default', () => {
    expect(texts({})).toEqual(['ghost', 'kept', 'resolved']);
    expect(isFiltering(DEFAULT_FILTER)).toBe(false);
  });

  it('adds suppressed, cancelled and deleted notes on request', () => {
    expect(texts({ showSuppressed: true })).toEqual(['ghost', 'kept', 'resolved', 'suppressed']);
    expect(texts({ showCancelled: true })).toEqual(['ghost', 'kept', 'resolved', 'cancelled']);
    expect(texts({ showDeleted: true })).toEqual(['ghost', 'kept', 'resolved', 'deleted']);
  });

  it('keeps only the statuses asked for, plus suppressed when asked', () => {
    expect(texts({ statuses: ['FIRMED'] })).toEqual(['kept']);
    expect(texts({ statuses: ['FIRMED'], showSuppressed: true })).toEqual(['kept', 'suppressed']);
    expect([...shownStatuses({ ...DEFAULT_FILTER, statuses: ['RESOLVED'] })]).toEqual(['RESOLVED']);
  });

  it('keeps only the categories asked for', () => {
    expect(texts({ categories: ['AUDIO'] })).toEqual(['ghost', 'resolved']);
    expect(texts({ categories: ['AUDIO', 'PACING'] })).toEqual(['ghost', 'kept', 'resolved']);
    expect(isFiltering({ ...DEFAULT_FILTER, categories: ['AUDIO'] })).toBe(true);
  });

  it('hides notes below the minimum confidence', () => {
    expect(texts({ minConfidence: 0.6 })).toEqual(['ghost', 'resolved']);
    expect(texts({ minConfidence: 0.5 })).toEqual(['ghost', 'kept', 'resolved']);
    expect(texts({ minConfidence: 0.6, showSuppressed: true })).toEqual(['ghost', 'resolved']);
  });

  it('keeps the notes asked for whatever the filter says', () => {
    expect(texts({ statuses: ['FIRMED'] }, new Set([deleted.id]))).toEqual(['kept', 'deleted']);
  });
});
