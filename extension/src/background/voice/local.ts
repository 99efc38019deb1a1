// The v1 fallback's voice loop (PROTOCOL.md section 4: the client runs its own loop). With
// protocol v1 no server session decides, so the worker pauses and resumes the video itself,
// with the same configuration and the same rules the server follows in v2 (docs/voice.md):
// pause at a speech start while playing (auto-pause on); resume `autoResumeDelayMs` after the
// end, only a video this loop paused, unless speech started again; a speech shorter than
// `minSpeechMs` resumes at once. Every utterance the capture transcribes becomes a note. Pure.

import type { VoiceSettings } from './config';

export interface LocalLoop {
  state: 'observing' | 'recording' | 'cooldown';
  utteranceId: string | null;
  /** This loop paused the video, and has not resumed it yet. */
  paused: boolean;
  /** When the pending resume is due (epoch ms), or null. */
  resumeAt: number | null;
  /** When the cooldown ends, or null. */
  cooldownUntil: number | null;
}

export const LOCAL_IDLE: LocalLoop = {
  state: 'observing',
  utteranceId: null,
  paused: false,
  resumeAt: null,
  cooldownUntil: null,
};

export type LocalAction = 'pause' | 'resume';

type Step = { loop: LocalLoop; actions: LocalAction[] };

type Timing = Pick<
  VoiceSettings,
  'autoPauseVideo' | 'autoResumeDelayMs' | 'cooldownMs' | 'minSpeechMs'
>;

export function localSpeechStart(
  loop: LocalLoop,
  speech: { utteranceId: string; playing: boolean; now: number },
  config: Timing,
): Step {
  const settled = localTick(loop, speech.now).loop;
  // A new utterance takes the pending resume over: the video stays paused while they talk.
  const pause = config.autoPauseVideo && speech.playing && !settled.paused;
  return {
    loop: {
      state: 'recording',
      utteranceId: speech.utteranceId,
      paused: settled.paused || pause,
      resumeAt: null,
      cooldownUntil: null,
    },
    actions: pause ? ['pause'] : [],
  };
}

export function localSpeechEnd(
  loop: LocalLoop,
  speech: { utteranceId: string; durationMs: number; now: number },
  config: Timing,
): Step {
  if (loop.utteranceId !== speech.utteranceId) return { loop, actions: [] };
  if (speech.durationMs < config.minSpeechMs) return localMisfire(loop, speech.utteranceId);
  return {
    loop: {
      state: 'cooldown',
      utteranceId: null,
      paused: loop.paused,
      resumeAt: loop.paused ? speech.now + config.autoResumeDelayMs : null,
      cooldownUntil: speech.now + config.cooldownMs,
    },
    actions: [],
  };
}

/** A speech start the VAD took back: as if it never began. */
export function localMisfire(loop: LocalLoop, utteranceId: string): Step {
  if (loop.utteranceId !== utteranceId) return { loop, actions: [] };
  return { loop: LOCAL_IDLE, actions: loop.paused ? ['resume'] : [] };
}

/** Timers due at `now`. */
export function localTick(loop: LocalLoop, now: number): Step {
  let next = loop;
  const actions: LocalAction[] = [];
  if (next.resumeAt !== null && now >= next.resumeAt) {
    next = { ...next, paused: false, resumeAt: null };
    actions.push('resume');
  }
  if (next.state === 'cooldown' && next.cooldownUntil !== null && now >= next.cooldownUntil) {
    next = { ...next, state: 'observing', cooldownUntil: null };
  }
  return { loop: next, actions };
}

/** When `localTick` has something to do next, or null. */
export function localDeadline(loop: LocalLoop): number | null {
  const times = [loop.resumeAt, loop.state === 'cooldown' ? loop.cooldownUntil : null].filter(
    (t): t is number => t !== null,
  );
  return times.length ? Math.min(...times) : null;
}

/**
 * The loop taking over an utterance a v2 session was recording when the version changed to
 * 1 (`featuresChanged`): the server paused the video (auto-pause on, playing at the onset),
 * and no server will resume it now.
 */
export function localAdopt(
  utterance: { utteranceId: string; playing: boolean } | null,
  config: Timing,
): LocalLoop {
  if (!utterance) return LOCAL_IDLE;
  return {
    state: 'recording',
    utteranceId: utterance.utteranceId,
    paused: config.autoPauseVideo && utterance.playing,
    resumeAt: null,
    cooldownUntil: null,
  };
}
