// The v2 session's sequenced events on the client (PROTOCOL.md 5.2, 5.3): `seq` contiguous
// from 1 per session, every event kept until the server acknowledges it, at most 100 kept
// (the oldest dropped), the last state the client knows, and what a resume replays. Pure: the
// driver sends and persists; this decides.

/** The server's states (GraphQL `VoiceState`). */
export type VoiceState =
  | 'IDLE'
  | 'OBSERVING'
  | 'RECORDING'
  | 'COOLDOWN'
  | 'ERROR'
  | 'DISCONNECTED'
  | 'RECONNECTING'
  | 'CLOSED';

export type VoiceEventKind = 'SPEECH_START' | 'SPEECH_END' | 'HEARTBEAT' | 'ERROR';

export type ServerSpeechEndReason =
  'NATURAL_END' | 'MAX_DURATION' | 'STUCK_STATE' | 'FORCED_END' | 'PUSH_TO_TALK_RELEASE';

/** `VoiceEventInput`, as sent. */
export interface VoiceEvent {
  sessionId: string;
  seq: number;
  kind: VoiceEventKind;
  /** RFC 3339, on this machine's clock. */
  occurredAt: string;
  utteranceId?: string;
  mediaTime?: number;
  videoPlaying?: boolean;
  durationMs?: number;
  reason?: ServerSpeechEndReason;
  message?: string;
}

/** What an event says, before it is numbered. */
export type EventBody = Omit<VoiceEvent, 'sessionId' | 'seq'>;

export interface LastKnownState {
  sessionId: string;
  state: VoiceState;
  lastEventAt: string | null;
  /** The highest `seq` the server is known to have taken (its `appliedSeq`). */
  seq: number;
}

export type AckOutcome = 'APPLIED' | 'DUPLICATE' | 'IGNORED' | 'RESET';

export interface Ack {
  outcome: AckOutcome;
  appliedSeq: number;
  state: VoiceState;
  reason: string | null;
}

/** At most this many unacknowledged events are kept; a resume carries at most as many. */
export const FIFO_CAP = 100;

export interface EventBook {
  sessionId: string;
  /** The `seq` the next event takes. */
  nextSeq: number;
  /** Unacknowledged events, in `seq` order. */
  pending: VoiceEvent[];
  /** Sent on this connection and not answered yet (one at a time), or null. */
  inFlight: number | null;
  lastKnownState: LastKnownState;
  /** Events dropped on overflow since the session began (a gap the server will answer with
   * `RESET`). */
  dropped: number;
}

export function newBook(sessionId: string, state: VoiceState, appliedSeq: number): EventBook {
  return {
    sessionId,
    nextSeq: appliedSeq + 1,
    pending: [],
    inFlight: null,
    lastKnownState: { sessionId, state, lastEventAt: null, seq: appliedSeq },
    dropped: 0,
  };
}

/** Numbers `body` and queues it; on overflow the oldest event is dropped (and returned). */
export function enqueue(
  book: EventBook,
  body: EventBody,
): { book: EventBook; event: VoiceEvent; dropped: VoiceEvent | null } {
  const event: VoiceEvent = { ...body, sessionId: book.sessionId, seq: book.nextSeq };
  const pending = [...book.pending, event];
  const dropped = pending.length > FIFO_CAP ? (pending.shift() ?? null) : null;
  return {
    book: {
      ...book,
      nextSeq: book.nextSeq + 1,
      pending,
      inFlight: dropped && book.inFlight === dropped.seq ? null : book.inFlight,
      dropped: book.dropped + (dropped ? 1 : 0),
    },
    event,
    dropped,
  };
}

/** The event to send next on a live connection: the oldest one, when none is in flight. */
export function nextToSend(book: EventBook): VoiceEvent | null {
  if (book.inFlight !== null) return null;
  return book.pending[0] ?? null;
}

export function markSent(book: EventBook, seq: number): EventBook {
  return { ...book, inFlight: seq };
}

/** The connection closed: nothing is in flight any more (the resume replays it). */
export function connectionLost(book: EventBook): EventBook {
  return book.inFlight === null ? book : { ...book, inFlight: null };
}

export interface AckResult {
  book: EventBook;
  /** Events the server will never apply and the client must not send again: an `IGNORED`
   * one (reported), or every one a `RESET` cleared. */
  ignored: VoiceEvent[];
  /** Events cleared by a `RESET`. */
  cleared: VoiceEvent[];
  reset: boolean;
}

function taken(book: EventBook, appliedSeq: number): VoiceEvent[] {
  return book.pending.filter((event) => event.seq > appliedSeq);
}

/**
 * The server's answer to the event `seq`. `APPLIED` and `DUPLICATE` remove it (and every
 * earlier one: the server takes them in order); `IGNORED` removes it and reports it; `RESET`
 * clears the buffer and adopts the server's `appliedSeq` and state.
 */
export function acknowledge(book: EventBook, seq: number, ack: Ack): AckResult {
  const event = book.pending.find((e) => e.seq === seq) ?? null;
  const inFlight = book.inFlight === seq ? null : book.inFlight;
  if (ack.outcome === 'RESET') {
    const { book: next, cleared } = adoptReset({ ...book, inFlight }, ack.state, ack.appliedSeq);
    return { book: next, ignored: [], cleared, reset: true };
  }
  const applied = Math.max(ack.appliedSeq, ack.outcome === 'APPLIED' ? seq : 0);
  const pending = taken(book, applied).filter((e) => e.seq !== seq);
  const lastKnownState: LastKnownState = {
    ...book.lastKnownState,
    state: ack.state,
    seq: Math.max(book.lastKnownState.seq, ack.appliedSeq),
    lastEventAt: event?.occurredAt ?? book.lastKnownState.lastEventAt,
  };
  return {
    book: { ...book, pending, inFlight, lastKnownState },
    ignored: ack.outcome === 'IGNORED' && event ? [event] : [],
    cleared: [],
    reset: false,
  };
}

/**
 * The server refused the event `seq` as invalid (a GraphQL error): it did not take it and
 * never will, so it leaves the buffer, and the events after it (none sent yet) move down one
 * `seq` to keep the numbering contiguous.
 */
export function refuse(
  book: EventBook,
  seq: number,
): { book: EventBook; refused: VoiceEvent | null } {
  const refused = book.pending.find((e) => e.seq === seq) ?? null;
  if (!refused) return { book, refused: null };
  const pending = book.pending
    .filter((e) => e.seq !== seq)
    .map((e) => (e.seq > seq ? { ...e, seq: e.seq - 1 } : e));
  return {
    book: {
      ...book,
      pending,
      nextSeq: book.nextSeq - 1,
      inFlight: book.inFlight === seq ? null : book.inFlight,
    },
    refused,
  };
}

/** A `RESET` (an answer or the `RESET_SESSION` command): the buffer is cleared and the
 * server's view adopted; the next event takes `appliedSeq + 1`. */
export function adoptReset(
  book: EventBook,
  state: VoiceState,
  appliedSeq: number,
): { book: EventBook; cleared: VoiceEvent[] } {
  return {
    book: {
      ...book,
      nextSeq: appliedSeq + 1,
      pending: [],
      inFlight: null,
      lastKnownState: { ...book.lastKnownState, state, seq: appliedSeq },
    },
    cleared: taken(book, appliedSeq),
  };
}

/** What `resumeVoiceSession` carries: the buffered events, in order. */
export function replay(book: EventBook): {
  sessionId: string;
  lastKnownState: LastKnownState;
  events: VoiceEvent[];
} {
  return {
    sessionId: book.sessionId,
    lastKnownState: book.lastKnownState,
    events: book.pending.slice(0, FIFO_CAP),
  };
}

/** The answer to a resume: events up to `appliedSeq` were taken; a `RESET` clears the rest. */
export function resumed(book: EventBook, answer: Ack): AckResult {
  if (answer.outcome === 'RESET') {
    const { book: next, cleared } = adoptReset(book, answer.state, answer.appliedSeq);
    return { book: next, ignored: [], cleared, reset: true };
  }
  const last = book.pending.filter((e) => e.seq <= answer.appliedSeq).at(-1);
  return {
    book: {
      ...book,
      pending: taken(book, answer.appliedSeq),
      inFlight: null,
      // Events the server had not taken yet (there should be none) keep their numbers.
      nextSeq: Math.max(book.nextSeq, answer.appliedSeq + 1),
      lastKnownState: {
        ...book.lastKnownState,
        state: answer.state,
        seq: answer.appliedSeq,
        lastEventAt: last?.occurredAt ?? book.lastKnownState.lastEventAt,
      },
    },
    ignored: [],
    cleared: [],
    reset: false,
  };
}

/** A status on `voiceStatus`: the state it carries is the newest the client knows. */
export function statusSeen(book: EventBook, state: VoiceState, appliedSeq: number): EventBook {
  if (appliedSeq < book.lastKnownState.seq) return book;
  return { ...book, lastKnownState: { ...book.lastKnownState, state, seq: appliedSeq } };
}

/** Whether an event of `kind` may wait: heartbeats are worthless once late, so one is not
 * queued while another heartbeat still waits to be sent. */
export function worthQueueing(book: EventBook, kind: VoiceEventKind): boolean {
  if (kind !== 'HEARTBEAT') return true;
  const last = book.pending.at(-1);
  return !(last && last.kind === 'HEARTBEAT' && book.inFlight !== last.seq);
}
