// Every utterance from speech to note: what its events said (session, video, media time,
// length) is remembered until its transcript is handed to the outbox, because the transcript
// arrives seconds later, possibly after a reconnect, a reset, a version switch or a worker
// restart (the book is kept in session storage). Pure.

import type { OutboxWrite, VoiceUtteranceView } from '@/shared/messages';
import type { SpeechEndReason, Transcript } from '@/shared/voice';

import type { ServerSpeechEndReason } from './events';

export interface Utterance {
  utteranceId: string;
  /** The v2 session that heard its start, or null (v1, or a session that did not take it:
   * its transcript then goes without a session, so the server does not refuse it). */
  sessionId: string | null;
  videoId: string;
  tabId: number;
  mediaTime: number;
  videoPlaying: boolean;
  onsetAt: number;
  durationMs: number | null;
  status: VoiceUtteranceView['status'];
  message: string | null;
}

export type UtteranceBook = Readonly<Record<string, Utterance>>;

/** Failed utterances are kept for a retry; past this many, the oldest failed one goes. */
export const BOOK_CAP = 50;

export function begin(book: UtteranceBook, utterance: Utterance): UtteranceBook {
  const next: UtteranceBook = { ...book, [utterance.utteranceId]: utterance };
  if (Object.keys(next).length <= BOOK_CAP) return next;
  const oldestFailed = Object.values(next)
    .filter((u) => u.status === 'failed')
    .sort((a, b) => a.onsetAt - b.onsetAt)[0];
  return oldestFailed ? forget(next, oldestFailed.utteranceId) : next;
}

function update(
  book: UtteranceBook,
  utteranceId: string,
  change: Partial<Utterance>,
): UtteranceBook {
  const utterance = book[utteranceId];
  return utterance ? { ...book, [utteranceId]: { ...utterance, ...change } } : book;
}

export function end(book: UtteranceBook, utteranceId: string, durationMs: number): UtteranceBook {
  return update(book, utteranceId, {
    durationMs: Math.max(0, Math.round(durationMs)),
    status: 'transcribing',
  });
}

export function forget(book: UtteranceBook, utteranceId: string): UtteranceBook {
  if (!(utteranceId in book)) return book;
  return Object.fromEntries(Object.entries(book).filter(([id]) => id !== utteranceId));
}

/** The session did not take these utterances' starts (ignored, reset, or the session ended
 * before): their transcripts go without it. */
export function unheard(book: UtteranceBook, utteranceIds: readonly string[]): UtteranceBook {
  return utteranceIds.reduce((b, id) => update(b, id, { sessionId: null }), book);
}

export function failed(book: UtteranceBook, utteranceId: string, message: string): UtteranceBook {
  return update(book, utteranceId, { status: 'failed', message });
}

export function retrying(book: UtteranceBook, utteranceId: string): UtteranceBook {
  return update(book, utteranceId, { status: 'transcribing', message: null });
}

export function sending(book: UtteranceBook, utteranceId: string): UtteranceBook {
  return update(book, utteranceId, { status: 'sending', message: null });
}

/** The utterance being spoken now, if any (the newest still recording). */
export function recording(book: UtteranceBook): Utterance | null {
  return (
    Object.values(book)
      .filter((u) => u.status === 'recording')
      .sort((a, b) => b.onsetAt - a.onsetAt)[0] ?? null
  );
}

export function listed(book: UtteranceBook): VoiceUtteranceView[] {
  return Object.values(book)
    .sort((a, b) => a.onsetAt - b.onsetAt)
    .map(({ utteranceId, mediaTime, status, message }) => ({
      utteranceId,
      mediaTime,
      status,
      message,
    }));
}

/**
 * The outbox write for a transcript, or null when there is nothing to note (no words). The
 * media time is kept within the video (the server refuses one past its end).
 */
export function transcriptWrite(
  utterance: Utterance,
  transcript: Transcript,
  videoDurationSeconds: number | null,
): Extract<OutboxWrite, { kind: 'submitTranscript' }> | null {
  const text = transcript.text.replace(/\s+/g, ' ').trim();
  if (!text) return null;
  const end =
    videoDurationSeconds !== null &&
    Number.isFinite(videoDurationSeconds) &&
    videoDurationSeconds > 0
      ? videoDurationSeconds
      : Infinity;
  const input: Record<string, unknown> = {
    utteranceId: utterance.utteranceId,
    videoId: utterance.videoId,
    mediaTime: Math.max(0, Math.min(utterance.mediaTime, end)),
    durationMs: utterance.durationMs ?? 0,
    text,
    confidence: Math.min(
      1,
      Math.max(0, Number.isFinite(transcript.confidence) ? transcript.confidence : 1),
    ),
    source: transcript.source,
  };
  if (utterance.sessionId !== null) input.sessionId = utterance.sessionId;
  if (transcript.words) input.words = transcript.words;
  return { kind: 'submitTranscript', key: utterance.utteranceId, input };
}

/** The capture's end reasons in the server's words (`SpeechEndReason`). */
export function serverEndReason(reason: SpeechEndReason): ServerSpeechEndReason {
  switch (reason) {
    case 'SILENCE':
      return 'NATURAL_END';
    case 'MAX_SPEECH':
      return 'MAX_DURATION';
    case 'PUSH_TO_TALK_RELEASE':
      return 'PUSH_TO_TALK_RELEASE';
    case 'STOP_UTTERANCE':
    case 'CAPTURE_STOPPED':
      return 'FORCED_END';
  }
}
