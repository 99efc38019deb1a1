// The v1 fallback's voice loop (PROTOCOL.md section 4: the client runs its own loop). With
// protocol v1 no server session decides, so the worker pauses and resumes the video itself,
// with the same configuration and the same rules the server follows in v2 (docs/voice.md):
// pause at a speech start while playing (auto-pause on); resume `autoResumeDelayMs` after the
// end, only a video this loop paused, unless speech started again; a speech shorter than
// `minSpeechMs` resumes at once; after `idleStopMs` observing without speech, capture stops
// (`idle`, as the server's idle-stop timer: armed whenever the loop starts listening or comes
// back to observing, cleared by speech; "Listen again" starts it over). Every utterance the
// capture transcribes becomes a note. Pure.

import type { VoiceSettings } from './config';

export interface LocalLoop {
  /** `idle`: capture stopped after `idleStopMs` without speech. */
  state: 'observing' | 'recording' | 'cooldown' | 'idle';
  utteranceId: string | null;
  /** This loop paused the video, and has not resumed it yet. */
  paused: boolean;
  /** When the pending resume is due (epoch ms), or null. */
  resumeAt: number | null;
  /** When the cooldown ends, or null. */
  cooldownUntil: number | null;
  /** When, still observing without speech, capture stops; null while speech goes on. (A
   * loop kept by an older version has none.) */
  idleAt?: number | null;
}

export const LOCAL_IDLE: LocalLoop = {
  state: 'observing',
  utteranceId: null,
  paused: false,
  resumeAt: null,
  cooldownUntil: null,
  idleAt: null,
};

/** `stop-capture`: no speech for `idleStopMs`. */
export type LocalAction = 'pause' | 'resume' | 'stop-capture';

type Step = { loop: LocalLoop; actions: LocalAction[] };

type Timing = Pick<
  VoiceSettings,
  'autoPauseVideo' | 'autoResumeDelayMs' | 'cooldownMs' | 'minSpeechMs' | 'idleStopMs'
>;

/** The loop starts listening (capture started, or started again after `idle`): observing,
 * with the idle-stop deadline from now. An utterance or a cooldown under way goes on. */
export function localListen(loop: LocalLoop, now: number, config: Timing): LocalLoop {
  if (loop.state === 'recording' || loop.state === 'cooldown') return loop;
  return { ...loop, state: 'observing', idleAt: now + config.idleStopMs };
}

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
      idleAt: null,
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
  if (speech.durationMs < config.minSpeechMs) {
    return localMisfire(loop, speech.utteranceId, speech.now, config);
  }
  const cooldownUntil = speech.now + config.cooldownMs;
  return {
    loop: {
      state: 'cooldown',
      utteranceId: null,
      paused: loop.paused,
      resumeAt: loop.paused ? speech.now + config.autoResumeDelayMs : null,
      cooldownUntil,
      // Armed when the cooldown ends and the loop observes again.
      idleAt: cooldownUntil + config.idleStopMs,
    },
    actions: [],
  };
}

/** A speech start the VAD took back (or speech too short to be a note): as if it never
 * began, observing again from `now`. */
export function localMisfire(
  loop: LocalLoop,
  utteranceId: string,
  now: number,
  config: Timing,
): Step {
  if (loop.utteranceId !== utteranceId) return { loop, actions: [] };
  return {
    loop: { ...LOCAL_IDLE, idleAt: now + config.idleStopMs },
    actions: loop.paused ? ['resume'] : [],
  };
}

/** Timers due at `now`. `drives`: the loop is the one deciding (no v2 session runs); while a
 * session does, the server's own idle-stop timer stands and the loop's is dropped. */
export function localTick(loop: LocalLoop, now: number, drives = true): Step {
  let next = loop;
  const actions: LocalAction[] = [];
  if (next.resumeAt !== null && now >= next.resumeAt) {
    next = { ...next, paused: false, resumeAt: null };
    actions.push('resume');
  }
  if (next.state === 'cooldown' && next.cooldownUntil !== null && now >= next.cooldownUntil) {
    next = { ...next, state: 'observing', cooldownUntil: null };
  }
  const idleAt = next.idleAt ?? null;
  if (next.state === 'observing' && idleAt !== null && now >= idleAt) {
    next = { ...next, idleAt: null, ...(drives ? { state: 'idle' as const } : {}) };
    if (drives) actions.push('stop-capture');
  }
  return { loop: next, actions };
}

/** When `localTick` has something to do next, or null. */
export function localDeadline(loop: LocalLoop): number | null {
  const times = [
    loop.resumeAt,
    loop.state === 'cooldown' ? loop.cooldownUntil : null,
    loop.state === 'observing' || loop.state === 'cooldown' ? loop.idleAt : null,
  ].filter((t): t is number => typeof t === 'number');
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
  now: number,
): LocalLoop {
  if (!utterance) return localListen(LOCAL_IDLE, now, config);
  return {
    state: 'recording',
    utteranceId: utterance.utteranceId,
    paused: config.autoPauseVideo && utterance.playing,
    resumeAt: null,
    cooldownUntil: null,
    idleAt: null,
  };
}
