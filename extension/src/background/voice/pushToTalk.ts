// Push-to-talk on a keyboard shortcut (`chrome.commands`, command `push-to-talk`). Chrome
// tells an extension when a shortcut is pressed, never when it is released, so the shortcut
// toggles: the first press starts an utterance at once, the next press ends it (reason
// `PUSH_TO_TALK_RELEASE`). A key held down repeats its press; presses that follow the previous
// one within `REPEAT_MS` are that repeat (or a bounce) and change nothing. An utterance nobody
// ends stops at `maxSpeechMs` like any other (the capture ends it and `released` clears the
// hold). Pure.

/** Presses closer together than this are one press held down. */
export const REPEAT_MS = 500;

export interface PushToTalk {
  held: boolean;
  lastPressAt: number | null;
}

export const PTT_UP: PushToTalk = { held: false, lastPressAt: null };

export function press(
  state: PushToTalk,
  now: number,
): { state: PushToTalk; change: 'down' | 'up' | null } {
  if (
    state.lastPressAt !== null &&
    now - state.lastPressAt < REPEAT_MS &&
    now >= state.lastPressAt
  ) {
    return { state: { ...state, lastPressAt: now }, change: null };
  }
  return { state: { held: !state.held, lastPressAt: now }, change: state.held ? 'up' : 'down' };
}

/** The utterance ended without a second press (maximum length, capture stopped). */
export function released(state: PushToTalk): PushToTalk {
  return state.held ? { ...state, held: false } : state;
}
