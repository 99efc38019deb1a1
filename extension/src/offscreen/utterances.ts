// Where utterances begin and end, from the VAD's decisions and the reviewer's commands, and
// the 16 kHz audio each one keeps. Pure: the offscreen document feeds it frames (with the
// times FrameClock gives them) and vad-web's events, and sends what it returns.
//
// The VAD decides speech and silence; this decides utterances:
// - an utterance starts at the VAD's first speech frame (its onset is that frame's start) and
//   keeps `preRollMs` of audio before it; it ends on the VAD's end of speech (`SILENCE`), and
//   is dropped when the VAD takes the start back (a misfire, shorter than `minSpeechMs`);
// - it is cut at `maxSpeechMs` (`MAX_SPEECH`); when the reviewer is still talking, the next
//   speech frame starts the next utterance, so nothing said is left out;
// - push-to-talk starts one at the key press (or takes over the one in progress) and ends it
//   at the release, whatever the VAD says;
// - the server's stop-utterance ends the one in progress, and stop (capture stopped) too; after
//   either, or after a push-to-talk release, no new utterance starts until the VAD has heard
//   the current stretch of speech end, since it is the one the reviewer was just cut off from.

import type { SpeechEndReason, VadConfig } from '@/shared/voice';

export interface Frame {
  /** 0, 1, 2… since the stream began. */
  index: number;
  /** 16 kHz mono samples. */
  samples: Float32Array;
  /** Silero's speech probability for this frame. */
  probability: number;
  /** Epoch ms of its first sample, and just after its last. */
  start: number;
  end: number;
}

export type TrackerEvent =
  | { kind: 'start'; utteranceId: string; onsetAt: number }
  | {
      kind: 'end';
      utteranceId: string;
      onsetAt: number;
      durationMs: number;
      reason: SpeechEndReason;
      /** 16 kHz mono, from `preRollMs` before the onset. */
      audio: Float32Array;
    }
  | { kind: 'misfire'; utteranceId: string };

interface Active {
  id: string;
  onsetAt: number;
  source: 'vad' | 'push-to-talk';
  /** Started by speech that went on past the previous utterance's `MAX_SPEECH`. */
  continued: boolean;
  frames: Frame[];
  /** How many of `frames` there were at the last speech frame, and when that frame ended. */
  framesAtLastSpeech: number;
  lastSpeechEnd: number | null;
}

/** Audio kept after the last speech frame when the VAD ends an utterance on silence: the
 * tail of a word often scores under the threshold, and the rest of the wait is silence. */
export const TAIL_MS = 250;

export type TrackerConfig = Pick<VadConfig, 'startThreshold' | 'maxSpeechMs' | 'preRollMs'>;

export class UtteranceTracker {
  private config: TrackerConfig;
  private recent: Frame[] = [];
  private active: Active | null = null;
  private vadSpeaking = false;
  private holdUntilSilence = false;
  private continueOnSpeech = false;
  private pushToTalkHeld = false;

  constructor(
    config: TrackerConfig,
    private readonly newId: () => string,
  ) {
    this.config = { ...config };
  }

  configure(config: TrackerConfig): TrackerEvent[] {
    this.config = { ...config };
    return [];
  }

  /** The utterance in progress, if any. */
  get current(): { utteranceId: string; onsetAt: number } | null {
    return this.active && { utteranceId: this.active.id, onsetAt: this.active.onsetAt };
  }

  /** Each frame the VAD scored, in order, before the VAD's events for that frame. */
  frame(frame: Frame): TrackerEvent[] {
    const events: TrackerEvent[] = [];
    this.recent.push(frame);
    const keep = Math.ceil(this.config.preRollMs / (frame.end - frame.start || 1)) + 1;
    while (this.recent.length > keep) this.recent.shift();

    const speech = frame.probability >= this.config.startThreshold;
    if (!this.active && this.continueOnSpeech && this.vadSpeaking && speech) {
      this.continueOnSpeech = false;
      // The previous utterance holds everything before this frame: no pre-roll again.
      events.push(this.begin('vad', frame.start, [], true));
    }
    const active = this.active;
    if (!active) return events;
    active.frames.push(frame);
    if (speech) {
      active.framesAtLastSpeech = active.frames.length;
      active.lastSpeechEnd = frame.end;
    }
    if (frame.end - active.onsetAt >= this.config.maxSpeechMs) {
      events.push(this.finish('MAX_SPEECH', frame.end));
      if (active.source === 'push-to-talk') {
        events.push(this.begin('push-to-talk', frame.end, [], true));
      } else if (this.vadSpeaking) {
        this.continueOnSpeech = true;
      }
    }
    return events;
  }

  /** vad-web's speech start: the last frame given was the first speech frame. */
  vadStart(): TrackerEvent[] {
    this.vadSpeaking = true;
    const first = this.recent.at(-1);
    if (this.active || this.holdUntilSilence || !first) return [];
    return [this.begin('vad', first.start, this.preRoll(first.start), false, first.end)];
  }

  /** vad-web's speech end: `minSilenceMs` of silence after enough speech. */
  vadEnd(): TrackerEvent[] {
    this.vadStopped();
    const active = this.active;
    if (!active || active.source !== 'vad') return [];
    const kept = Math.min(
      active.frames.length,
      active.framesAtLastSpeech + Math.ceil(TAIL_MS / frameMs(active.frames)),
    );
    active.frames = active.frames.slice(0, kept);
    const end = active.lastSpeechEnd ?? active.frames.at(-1)?.end ?? active.onsetAt;
    return [this.finish('SILENCE', end)];
  }

  /** vad-web's misfire: the speech it started was shorter than `minSpeechMs`. */
  vadMisfire(): TrackerEvent[] {
    this.vadStopped();
    const active = this.active;
    if (!active || active.source !== 'vad') return [];
    // A continuation follows a full `maxSpeechMs` of speech: whatever the VAD thinks of its
    // last stretch (its minimum may have been raised meanwhile), the audio is kept.
    if (active.continued) return this.vadEnd();
    this.active = null;
    return [{ kind: 'misfire', utteranceId: active.id }];
  }

  pushToTalk(pressed: boolean, at: number): TrackerEvent[] {
    if (pressed) {
      if (this.pushToTalkHeld) return [];
      this.pushToTalkHeld = true;
      this.continueOnSpeech = false;
      if (this.active) {
        // Speech the VAD already caught is the start of what the reviewer meant to say.
        this.active.source = 'push-to-talk';
        return [];
      }
      return [this.begin('push-to-talk', at, this.preRoll(at), false)];
    }
    if (!this.pushToTalkHeld) return [];
    this.pushToTalkHeld = false;
    if (this.active?.source !== 'push-to-talk') return [];
    return this.cut('PUSH_TO_TALK_RELEASE', at);
  }

  /** The server's `STOP_UTTERANCE`. */
  stopUtterance(at: number): TrackerEvent[] {
    this.pushToTalkHeld = false;
    return this.active ? this.cut('STOP_UTTERANCE', at) : [];
  }

  /** Capture stops: the utterance in progress ends and is kept; everything else is forgotten. */
  stop(at: number): TrackerEvent[] {
    const events = this.active ? [this.finish('CAPTURE_STOPPED', at)] : [];
    this.recent = [];
    this.vadSpeaking = false;
    this.holdUntilSilence = false;
    this.continueOnSpeech = false;
    this.pushToTalkHeld = false;
    return events;
  }

  private cut(reason: SpeechEndReason, at: number): TrackerEvent[] {
    const events = [this.finish(reason, at)];
    this.continueOnSpeech = false;
    if (this.vadSpeaking) this.holdUntilSilence = true;
    return events;
  }

  private vadStopped(): void {
    this.vadSpeaking = false;
    this.holdUntilSilence = false;
    this.continueOnSpeech = false;
  }

  private preRoll(onsetAt: number): Frame[] {
    return this.recent.filter((frame) => frame.end > onsetAt - this.config.preRollMs);
  }

  private begin(
    source: Active['source'],
    onsetAt: number,
    frames: Frame[],
    continued: boolean,
    /** The end of the speech frame that started it, when it is among `frames`. */
    lastSpeechEnd: number | null = null,
  ): TrackerEvent {
    const id = this.newId();
    this.active = {
      id,
      onsetAt,
      source,
      continued,
      frames: [...frames],
      framesAtLastSpeech: frames.length,
      lastSpeechEnd,
    };
    return { kind: 'start', utteranceId: id, onsetAt };
  }

  private finish(reason: SpeechEndReason, endAt: number): TrackerEvent {
    const active = this.active;
    if (!active) throw new Error('no utterance in progress');
    this.active = null;
    return {
      kind: 'end',
      utteranceId: active.id,
      onsetAt: active.onsetAt,
      durationMs: Math.max(0, Math.round(endAt - active.onsetAt)),
      reason,
      audio: concat(active.frames.map((frame) => frame.samples)),
    };
  }
}

function frameMs(frames: Frame[]): number {
  const first = frames[0];
  return first ? first.end - first.start || 1 : 1;
}

export function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
