// What the worker does for each status the server pushes on `voiceStatus` (PROTOCOL.md 5.4):
// the extension carries out commands and never decides state on its own in v2. Pure: a
// status in, the actions out; the driver performs them.

import type { VoiceState } from './events';

export type VoiceCommand =
  | 'PAUSE_VIDEO'
  | 'RESUME_VIDEO'
  | 'STOP_UTTERANCE'
  | 'STOP_CAPTURE'
  | 'RESTART_CAPTURE'
  | 'RESET_SESSION';

/** `VoiceStatus`, as the subscription delivers it. */
export interface VoiceStatus {
  sessionId: string;
  state: VoiceState;
  previousState: VoiceState | null;
  cause: string;
  /** The session's `appliedSeq`. */
  seq: number;
  command: VoiceCommand | null;
  commandReason: string | null;
  restartBackoffMs: number | null;
}

export type VoiceAction =
  /** The server's state (and `appliedSeq`) as of this status. */
  | { kind: 'state'; state: VoiceState; appliedSeq: number }
  | { kind: 'pause-video'; tabId: number }
  | { kind: 'resume-video'; tabId: number }
  | { kind: 'stop-utterance' }
  | { kind: 'stop-capture'; reason: string | null }
  | { kind: 'restart-capture'; afterMs: number }
  /** Clear the event buffer and adopt the server's view. */
  | { kind: 'reset'; state: VoiceState; appliedSeq: number }
  /** The session is over (`closed`); `reason` says why (`context_moved`, …). */
  | { kind: 'session-ended'; reason: string | null };

export interface CommandContext {
  /** The session this worker drives now. */
  sessionId: string | null;
  /** The tab that owns the session (the video context's owner), if it is still open. */
  tabId: number | null;
}

/**
 * The actions for one status. Only the current session's statuses count: another device's
 * session of the same user, or this worker's previous session finishing its utterance after a
 * context switch, must not pause this tab or stop the capture the new session uses.
 * `PAUSE_VIDEO` and `RESUME_VIDEO` go to the owning tab only, never to whichever tab is
 * active.
 */
export function actionsFor(status: VoiceStatus, context: CommandContext): VoiceAction[] {
  if (context.sessionId === null || status.sessionId !== context.sessionId) return [];
  const actions: VoiceAction[] = [];
  if (status.command === 'RESET_SESSION') {
    actions.push({ kind: 'reset', state: status.state, appliedSeq: status.seq });
  } else {
    actions.push({ kind: 'state', state: status.state, appliedSeq: status.seq });
  }
  switch (status.command) {
    case 'PAUSE_VIDEO':
      if (context.tabId !== null) actions.push({ kind: 'pause-video', tabId: context.tabId });
      break;
    case 'RESUME_VIDEO':
      if (context.tabId !== null) actions.push({ kind: 'resume-video', tabId: context.tabId });
      break;
    case 'STOP_UTTERANCE':
      actions.push({ kind: 'stop-utterance' });
      break;
    case 'STOP_CAPTURE':
      actions.push({ kind: 'stop-capture', reason: status.commandReason });
      break;
    case 'RESTART_CAPTURE':
      actions.push({ kind: 'restart-capture', afterMs: Math.max(0, status.restartBackoffMs ?? 0) });
      break;
    case 'RESET_SESSION':
    case null:
      break;
  }
  if (status.state === 'CLOSED') {
    actions.push({ kind: 'session-ended', reason: status.commandReason ?? status.cause });
  }
  return actions;
}
