// Pure rules of the outbox: how a write becomes an operation, and what the server's answer
// means for the item (acknowledged, refused for good, or to be tried again).

import type { GraphqlOperation, GraphqlResult, OutboxWrite } from '@/shared/messages';

import {
  CreateNoteDocument,
  DeleteNoteDocument,
  RestoreNoteDocument,
  SubmitTranscriptDocument,
  text,
  UpdateNoteDocument,
  UpdateSettingsDocument,
} from '../operations';

/** At most this many telemetry events are kept; the oldest go first. */
export const TELEMETRY_CAP = 2_000;
/** `ingestTelemetry` takes at most 500 events per call (PROTOCOL.md section 10). */
export const TELEMETRY_BATCH = 500;

export function operationFor(write: OutboxWrite): GraphqlOperation {
  switch (write.kind) {
    case 'createNote':
      return { query: text(CreateNoteDocument), variables: { input: write.input } };
    case 'updateNote':
      return { query: text(UpdateNoteDocument), variables: { input: write.input } };
    case 'deleteNote':
      return { query: text(DeleteNoteDocument), variables: { id: write.id, reason: write.reason } };
    case 'restoreNote':
      return { query: text(RestoreNoteDocument), variables: { id: write.id } };
    case 'updateSettings':
      return { query: text(UpdateSettingsDocument), variables: { input: write.input } };
    case 'submitTranscript':
      return { query: text(SubmitTranscriptDocument), variables: { input: write.input } };
  }
}

/**
 * A transcript sent without its voice session: the server refused the session (it is gone,
 * or it never took the utterance's start: a reset, an ignored start, a version switch), and
 * a note does not need one. Null when the write has no session to leave out.
 */
export function withoutSession(
  write: Extract<OutboxWrite, { kind: 'submitTranscript' }>,
): Extract<OutboxWrite, { kind: 'submitTranscript' }> | null {
  if (!('sessionId' in write.input)) return null;
  const input = { ...write.input };
  delete input.sessionId;
  return { ...write, input };
}

export type Verdict =
  | { kind: 'acknowledged' }
  | { kind: 'refused'; code: string; message: string; field?: string }
  /** The token was refused: refresh, then try again. */
  | { kind: 'auth' }
  /** The server could not do it now (internal error, rate limit): keep it, later. */
  | { kind: 'later'; message: string }
  /** An edit came back CONFLICT after an earlier send of unknown outcome: compare first. */
  | { kind: 'check-conflict' }
  /** A transcript whose voice session the server refused: send it again without one. */
  | { kind: 'without-session' };

/** Codes that will not change by sending the same write again. */
const PERMANENT = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'CONFLICT',
  'NOT_FOUND',
  'NOTE_DELETED',
  'NOTE_ALREADY_DELETED',
  'NOTE_NOT_DELETED',
  'FORBIDDEN',
]);

/**
 * What an answer means for `write`. `resent` is true when an earlier send's outcome is
 * unknown (the socket closed before the answer), so "already done" is success, not refusal.
 */
export function verdictFor(write: OutboxWrite, result: GraphqlResult, resent: boolean): Verdict {
  const error = result.errors?.[0];
  if (!error) {
    return result.data ? { kind: 'acknowledged' } : { kind: 'later', message: 'empty answer' };
  }
  const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'UNKNOWN';
  // The goal of these writes is a state; reaching it twice is no failure.
  if (write.kind === 'deleteNote' && code === 'NOTE_ALREADY_DELETED') {
    return { kind: 'acknowledged' };
  }
  if (write.kind === 'restoreNote' && code === 'NOTE_NOT_DELETED') {
    return { kind: 'acknowledged' };
  }
  if (write.kind === 'updateNote' && code === 'CONFLICT' && resent) {
    return { kind: 'check-conflict' };
  }
  // `submitTranscript` is idempotent on its utterance id, so a resend is always safe; only
  // the session can make the server refuse a transcript that is otherwise fine.
  if (write.kind === 'submitTranscript' && 'sessionId' in write.input) {
    const field = error.extensions?.field;
    if (
      code === 'NOT_FOUND' ||
      (code === 'BAD_USER_INPUT' && (field === 'utteranceId' || field === 'sessionId'))
    ) {
      return { kind: 'without-session' };
    }
  }
  if (code === 'UNAUTHENTICATED') return { kind: 'auth' };
  if (PERMANENT.has(code)) {
    const field = error.extensions?.field;
    return typeof field === 'string'
      ? { kind: 'refused', code, message: error.message, field }
      : { kind: 'refused', code, message: error.message };
  }
  return { kind: 'later', message: error.message };
}

export interface NoteLike {
  text: string;
  timestampSeconds: number;
  structurer: string;
  createdAt: string;
  category?: string;
  status?: string;
}

/** Clock difference tolerated between this machine and the server. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Whether `note` is the one an earlier send of `write` (a createNote first sent at
 * `sentAt`) made: typed (`manual`), same trimmed text and time, created after that send.
 */
export function isNoteFrom(
  write: Extract<OutboxWrite, { kind: 'createNote' }>,
  sentAt: number,
  note: NoteLike,
): boolean {
  const input = write.input as { text?: unknown; timestampSeconds?: unknown };
  return (
    note.structurer === 'manual' &&
    typeof input.text === 'string' &&
    note.text === input.text.trim() &&
    typeof input.timestampSeconds === 'number' &&
    Math.abs(note.timestampSeconds - input.timestampSeconds) < 0.001 &&
    Date.parse(note.createdAt) >= sentAt - CLOCK_SKEW_MS
  );
}

/** Whether a note now carries what `write` (an updateNote) asked for. */
export function editApplied(
  write: Extract<OutboxWrite, { kind: 'updateNote' }>,
  note: NoteLike,
): boolean {
  const input = write.input as { text?: unknown; category?: unknown; status?: unknown };
  return (
    (input.text === undefined ||
      (typeof input.text === 'string' && note.text === input.text.trim())) &&
    (input.category === undefined || note.category === input.category) &&
    (input.status === undefined || note.status === input.status)
  );
}
