// From a speech onset to the video's media time (issue 12, item 2). The content script sends
// the playhead on every play, pause, seek and rate change, and every 250 ms while playing
// (`page/playback`); the worker keeps a short history of those samples and reads the playhead
// at the onset from it, because the VAD decides (and the message arrives) a few hundred
// milliseconds after the reviewer started speaking, and the note belongs where they started.
// Pure.

import type { PlaybackSample } from '@/shared/voice';

/** Samples older than this (before the newest) are dropped: an onset is reported within a
 * second or two, and `maxSpeechMs` bounds nothing here (only the start matters). */
export const HISTORY_MS = 60_000;
/** And never more than this many (a 250 ms cadence gives 240 a minute). */
export const HISTORY_MAX = 400;
/**
 * Two samples while playing that disagree with each other by more than this (seconds of media
 * against the extrapolation of the first) are on either side of a seek. Samples come at least
 * every 250 ms, and a stall or a late timer moves the playhead by far less than this.
 */
export const SEEK_TOLERANCE_S = 0.75;

export type PlaybackHistory = readonly PlaybackSample[];

function valid(sample: PlaybackSample): boolean {
  return (
    Number.isFinite(sample.at) &&
    Number.isFinite(sample.seconds) &&
    sample.seconds >= 0 &&
    Number.isFinite(sample.rate)
  );
}

/** The history with `sample` in time order (messages may arrive out of order), trimmed. */
export function addSample(history: PlaybackHistory, sample: PlaybackSample): PlaybackHistory {
  if (!valid(sample)) return history;
  const next = [...history];
  let at = next.length;
  while (at > 0 && (next[at - 1]?.at ?? -Infinity) > sample.at) at -= 1;
  next.splice(at, 0, sample);
  const newest = next[next.length - 1]?.at ?? sample.at;
  const kept = next.filter((s) => s.at >= newest - HISTORY_MS);
  return kept.length > HISTORY_MAX ? kept.slice(kept.length - HISTORY_MAX) : kept;
}

/** Where `sample` says the playhead is at `at` (held while paused, moving by rate while
 * playing; never before the sample's own time's position when `at` is earlier). */
function extrapolate(sample: PlaybackSample, at: number): number {
  if (!sample.playing) return sample.seconds;
  return sample.seconds + (Math.max(0, at - sample.at) / 1000) * Math.max(0, sample.rate);
}

/** Whether `later` continues `earlier` without a seek or a pause between them. */
function continues(earlier: PlaybackSample, later: PlaybackSample): boolean {
  if (!earlier.playing) return false;
  return Math.abs(extrapolate(earlier, later.at) - later.seconds) <= SEEK_TOLERANCE_S;
}

export interface OnsetTime {
  /** Seconds into the video: the note's `mediaTime`. */
  mediaTime: number;
  /** Whether the video was playing at the onset (`SPEECH_START`'s `videoPlaying`). */
  playing: boolean;
}

/**
 * The playhead at `onsetAt` (epoch milliseconds), minus `preRollMs` of playback when the
 * video was playing, never below 0 and never before the position where the current stretch
 * of playback began (a seek or a press on play within the pre-roll): the reviewer reacts to
 * what they just saw, and the pre-roll gives the note that moment's context. Null without
 * any sample.
 */
export function mediaTimeAt(
  history: PlaybackHistory,
  onsetAt: number,
  preRollMs: number,
): OnsetTime | null {
  if (history.length === 0) return null;
  let index = -1;
  for (let i = history.length - 1; i >= 0; i -= 1) {
    if ((history[i]?.at ?? Infinity) <= onsetAt) {
      index = i;
      break;
    }
  }
  if (index < 0) {
    // The onset came before the first sample (the watch had just begun): the first sample,
    // taken back by its rate when it was playing, is the best there is.
    const first = history[0];
    if (!first) return null;
    const back = first.playing ? ((first.at - onsetAt) / 1000) * Math.max(0, first.rate) : 0;
    const seconds = Math.max(0, first.seconds - back);
    return {
      mediaTime: first.playing ? Math.max(0, seconds - (preRollMs / 1000) * first.rate) : seconds,
      playing: first.playing,
    };
  }
  const sample = history[index];
  if (!sample) return null;
  let seconds = extrapolate(sample, onsetAt);
  const next = history[index + 1];
  // Playback that stalled (buffering) after the sample moved less than its rate says: the
  // next sample, when it continues this one, bounds where the playhead can have been.
  if (sample.playing && next && next.seconds >= sample.seconds && continues(sample, next)) {
    seconds = Math.min(seconds, next.seconds);
  }
  if (!sample.playing) return { mediaTime: seconds, playing: false };
  // Where this stretch of playback began: back through the samples that continue each other.
  let start = index;
  while (start > 0) {
    const earlier = history[start - 1];
    const later = history[start];
    if (!earlier || !later || !continues(earlier, later)) break;
    start -= 1;
  }
  // A stretch that reaches back to the oldest sample began before the history did: no floor.
  const floor = start > 0 ? (history[start]?.seconds ?? 0) : 0;
  const rolledBack = seconds - (preRollMs / 1000) * Math.max(0, sample.rate);
  return { mediaTime: Math.max(0, Math.min(seconds, Math.max(floor, rolledBack))), playing: true };
}
