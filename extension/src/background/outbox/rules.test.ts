import { describe, expect, it } from 'vitest';

import type { OutboxWrite } from '@/shared/messages';

import { editApplied, isNoteFrom, verdictFor, withoutSession } from './rules';

const error = (code: string) => ({ errors: [{ message: code, extensions: { code } }] });
const create: Extract<OutboxWrite, { kind: 'createNote' }> = {
  kind: 'createNote',
  key: 'k',
  input: { videoId: 'v', text: ' Too loud ', timestampSeconds: 3 },
};

describe('verdictFor', () => {
  it('acknowledges an answer with data', () => {
    expect(verdictFor(create, { data: { createNote: {} } }, false).kind).toBe('acknowledged');
  });

  it('refuses for good on input, conflict and missing notes', () => {
    for (const code of ['BAD_USER_INPUT', 'CONFLICT', 'NOT_FOUND', 'NOTE_DELETED']) {
      expect(verdictFor(create, error(code), false)).toEqual({
        kind: 'refused',
        code,
        message: code,
      });
    }
  });

  it('counts a state already reached as done', () => {
    const del: OutboxWrite = { kind: 'deleteNote', key: 'd', id: 'n', reason: null };
    const restore: OutboxWrite = { kind: 'restoreNote', key: 'r', id: 'n' };
    expect(verdictFor(del, error('NOTE_ALREADY_DELETED'), true).kind).toBe('acknowledged');
    expect(verdictFor(restore, error('NOTE_NOT_DELETED'), true).kind).toBe('acknowledged');
  });

  it('checks a conflict on a resent edit instead of refusing it', () => {
    const edit: OutboxWrite = { kind: 'updateNote', key: 'u', input: { id: 'n', version: 2 } };
    expect(verdictFor(edit, error('CONFLICT'), true).kind).toBe('check-conflict');
    expect(verdictFor(edit, error('CONFLICT'), false).kind).toBe('refused');
  });

  it('keeps writes on server trouble and on a refused token', () => {
    expect(verdictFor(create, error('INTERNAL_SERVER_ERROR'), false).kind).toBe('later');
    expect(verdictFor(create, error('RATE_LIMITED'), false).kind).toBe('later');
    expect(verdictFor(create, error('UNAUTHENTICATED'), false).kind).toBe('auth');
  });
});

describe('isNoteFrom', () => {
  const sentAt = Date.parse('2026-12-01T12:00:00Z');
  const made = {
    text: 'Too loud',
    timestampSeconds: 3,
    structurer: 'manual',
    createdAt: '2026-12-01T12:00:01Z',
  };

  it('recognises the typed note an earlier send made', () => {
    expect(isNoteFrom(create, sentAt, made)).toBe(true);
  });

  it('does not take another note for it', () => {
    expect(isNoteFrom(create, sentAt, { ...made, text: 'Too quiet' })).toBe(false);
    expect(isNoteFrom(create, sentAt, { ...made, timestampSeconds: 4 })).toBe(false);
    expect(isNoteFrom(create, sentAt, { ...made, structurer: 'builtin' })).toBe(false);
    expect(isNoteFrom(create, sentAt, { ...made, createdAt: '2026-12-01T11:00:00Z' })).toBe(false);
  });
});

describe('editApplied', () => {
  it('compares only the fields the edit set', () => {
    const edit: Extract<OutboxWrite, { kind: 'updateNote' }> = {
      kind: 'updateNote',
      key: 'u',
      input: { id: 'n', version: 1, status: 'RESOLVED' },
    };
    const base = { text: 't', timestampSeconds: 0, structurer: 'manual', createdAt: '' };
    expect(editApplied(edit, { ...base, status: 'RESOLVED' })).toBe(true);
    expect(editApplied(edit, { ...base, status: 'FIRMED' })).toBe(false);
  });
});

describe('transcripts', () => {
  const write: Extract<OutboxWrite, { kind: 'submitTranscript' }> = {
    kind: 'submitTranscript',
    key: 'u',
    input: { utteranceId: 'u', sessionId: 's', videoId: 'v', mediaTime: 1, text: 'hi' },
  };

  it('sends a transcript refused for its session again without it', () => {
    expect(verdictFor(write, error('NOT_FOUND'), false).kind).toBe('without-session');
    const field = (name: string) => ({
      errors: [{ message: 'm', extensions: { code: 'BAD_USER_INPUT', field: name } }],
    });
    expect(verdictFor(write, field('utteranceId'), false).kind).toBe('without-session');
    expect(verdictFor(write, field('text'), false).kind).toBe('refused');
    const alone = withoutSession(write);
    expect(alone?.input).toEqual({ utteranceId: 'u', videoId: 'v', mediaTime: 1, text: 'hi' });
    expect(alone && withoutSession(alone)).toBeNull();
    expect(alone && verdictFor(alone, error('NOT_FOUND'), false).kind).toBe('refused');
  });
});
