import { describe, expect, it } from 'vitest';

import { TAIL_MS, type Frame, type TrackerEvent, UtteranceTracker } from './utterances';

const FRAME = 32;
const SAMPLES = 512;
const T0 = 1_700_000_000_000;
const CONFIG = { startThreshold: 0.6, maxSpeechMs: 15_000, preRollMs: 500 };

/** Frame `index` as the clock dates it, filled with its own index so audio can be traced. */
function frame(index: number, probability: number): Frame {
  return {
    index,
    samples: new Float32Array(SAMPLES).fill(index),
    probability,
    start: T0 + index * FRAME,
    end: T0 + (index + 1) * FRAME,
  };
}

/** The frame indices an utterance's audio holds, in order. */
function framesIn(audio: Float32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < audio.length; i += SAMPLES) out.push(audio[i] ?? -1);
  return out;
}

function audioOf(event: { audio: Float32Array } | undefined): number[] {
  if (!event) throw new Error('no utterance ended');
  return framesIn(event.audio);
}

function ids() {
  let n = 0;
  return () => `u${++n}`;
}

function ends(events: TrackerEvent[]) {
  return events.filter(
    (event): event is Extract<TrackerEvent, { kind: 'end' }> => event.kind === 'end',
  );
}

/** Feeds frames from `from` to `to` (exclusive) at `probability`; collects events. */
function feed(tracker: UtteranceTracker, from: number, to: number, probability: number) {
  const events: TrackerEvent[] = [];
  for (let index = from; index < to; index++)
    events.push(...tracker.frame(frame(index, probability)));
  return events;
}

describe('UtteranceTracker', () => {
  it("dates the onset by the VAD's first speech frame, not by its decision", () => {
    const tracker = new UtteranceTracker(CONFIG, ids());
    feed(tracker, 0, 50, 0.01);
    tracker.frame(frame(50, 0.9));
    // vad-web reports speech start right after the frame that started it.
    expect(tracker.vadStart()).toEqual([
      { kind: 'start', utteranceId: 'u1', onsetAt: T0 + 50 * FRAME },
    ]);
  });

  it('keeps the pre-roll before the onset and a short tail after the last speech frame', () => {
    const tracker = new UtteranceTracker(CONFIG, ids());
    feed(tracker, 0, 50, 0.01);
    tracker.frame(frame(50, 0.9));
    tracker.vadStart();
    feed(tracker, 51, 80, 0.9);
    // Silence until the VAD ends the utterance (its minSilenceMs, 650 ms: 21 frames).
    feed(tracker, 80, 101, 0.05);
    const [end] = ends(tracker.vadEnd());
    expect(end).toMatchObject({ utteranceId: 'u1', reason: 'SILENCE', onsetAt: T0 + 50 * FRAME });
    // Speech ran from frame 50 to the end of frame 79.
    expect(end?.durationMs).toBe(30 * FRAME);
    const frames = audioOf(end);
    const preRoll = Math.ceil(CONFIG.preRollMs / FRAME); // frames ending within 500 ms before
    const tail = Math.ceil(TAIL_MS / FRAME);
    expect(frames[0]).toBe(50 - preRoll);
    expect(frames).toContain(50);
    expect(frames.at(-1)).toBe(79 + tail);
    // In order, none twice.
    expect(frames).toEqual([...frames].sort((a, b) => a - b));
    expect(new Set(frames).size).toBe(frames.length);
  });

  it('drops an utterance the VAD takes back (a misfire) and keeps no audio', () => {
    const tracker = new UtteranceTracker(CONFIG, ids());
    feed(tracker, 0, 10, 0.01);
    tracker.frame(frame(10, 0.9));
    tracker.vadStart();
    feed(tracker, 11, 30, 0.05);
    expect(tracker.vadMisfire()).toEqual([{ kind: 'misfire', utteranceId: 'u1' }]);
    expect(tracker.current).toBeNull();
  });

  it('cuts at maxSpeechMs and starts the next utterance at the next speech frame', () => {
    const tracker = new UtteranceTracker({ ...CONFIG, maxSpeechMs: 1_000 }, ids());
    tracker.frame(frame(0, 0.9));
    tracker.vadStart();
    const events = feed(tracker, 1, 64, 0.9);
    const [first, second] = ends(events);
    expect(first).toMatchObject({ utteranceId: 'u1', reason: 'MAX_SPEECH' });
    // Cut on the frame that reaches 1 s: frame 31 ends at 1024 ms.
    expect(first?.durationMs).toBe(32 * FRAME);
    const starts = events.filter((event) => event.kind === 'start');
    expect(starts[0]).toEqual({ kind: 'start', utteranceId: 'u2', onsetAt: T0 + 32 * FRAME });
    expect(second).toMatchObject({ utteranceId: 'u2', reason: 'MAX_SPEECH' });
    // Together they hold every frame once: nothing said is lost or repeated.
    const all = [...audioOf(first), ...audioOf(second)];
    expect(all).toEqual(Array.from({ length: 64 }, (_, i) => i));
  });

  it('after a cut, waits for speech: silence that follows starts nothing', () => {
    const tracker = new UtteranceTracker({ ...CONFIG, maxSpeechMs: 640 }, ids());
    tracker.frame(frame(0, 0.9));
    tracker.vadStart();
    const events = feed(tracker, 1, 20, 0.9);
    expect(ends(events)).toHaveLength(1);
    // The reviewer stops right there: the VAD's own end finds nothing to end.
    expect(feed(tracker, 20, 40, 0.05)).toEqual([]);
    expect(tracker.vadEnd()).toEqual([]);
  });

  it('push-to-talk starts at the press and ends at the release, whatever the VAD says', () => {
    const tracker = new UtteranceTracker(CONFIG, ids());
    feed(tracker, 0, 20, 0.01);
    const pressAt = T0 + 20 * FRAME + 5;
    expect(tracker.pushToTalk(true, pressAt)).toEqual([
      { kind: 'start', utteranceId: 'u1', onsetAt: pressAt },
    ]);
    feed(tracker, 20, 30, 0.9);
    tracker.vadStart();
    feed(tracker, 30, 60, 0.01);
    // The VAD hears silence and ends its speech; push-to-talk holds on.
    expect(tracker.vadEnd()).toEqual([]);
    const [end] = ends(tracker.pushToTalk(false, pressAt + 1_500));
    expect(end).toMatchObject({
      utteranceId: 'u1',
      reason: 'PUSH_TO_TALK_RELEASE',
      durationMs: 1_500,
    });
    const frames = audioOf(end);
    // Pre-roll before the press is kept, and every frame up to the release.
    expect(frames[0]).toBeLessThan(20);
    expect(frames.at(-1)).toBe(59);
  });

  it('push-to-talk during speech the VAD caught takes that utterance over', () => {
    const tracker = new UtteranceTracker(CONFIG, ids());
    tracker.frame(frame(0, 0.9));
    tracker.vadStart();
    feed(tracker, 1, 10, 0.9);
    expect(tracker.pushToTalk(true, T0 + 10 * FRAME)).toEqual([]);
    feed(tracker, 10, 40, 0.01);
    expect(tracker.vadEnd()).toEqual([]);
    const [end] = ends(tracker.pushToTalk(false, T0 + 40 * FRAME));
    expect(end).toMatchObject({ utteranceId: 'u1', reason: 'PUSH_TO_TALK_RELEASE', onsetAt: T0 });
  });

  it('after a release during speech, no new utterance until the VAD hears it end', () => {
    const tracker = new UtteranceTracker(CONFIG, ids());
    tracker.pushToTalk(true, T0);
    tracker.frame(frame(0, 0.9));
    tracker.vadStart();
    feed(tracker, 1, 10, 0.9);
    expect(ends(tracker.pushToTalk(false, T0 + 10 * FRAME))).toHaveLength(1);
    expect(feed(tracker, 10, 20, 0.9)).toEqual([]);
    expect(tracker.vadEnd()).toEqual([]);
    // The next stretch of speech is a new utterance.
    tracker.frame(frame(40, 0.9));
    expect(tracker.vadStart()).toEqual([
      { kind: 'start', utteranceId: 'u2', onsetAt: T0 + 40 * FRAME },
    ]);
  });

  it("the server's stop-utterance ends it now, and the rest of that speech starts nothing", () => {
    const tracker = new UtteranceTracker(CONFIG, ids());
    tracker.frame(frame(0, 0.9));
    tracker.vadStart();
    feed(tracker, 1, 10, 0.9);
    const [end] = ends(tracker.stopUtterance(T0 + 10 * FRAME));
    expect(end).toMatchObject({ reason: 'STOP_UTTERANCE', durationMs: 10 * FRAME });
    expect(feed(tracker, 10, 30, 0.9)).toEqual([]);
    expect(tracker.vadEnd()).toEqual([]);
  });

  it('stopping capture ends the utterance in progress and keeps it', () => {
    const tracker = new UtteranceTracker(CONFIG, ids());
    tracker.frame(frame(0, 0.9));
    tracker.vadStart();
    feed(tracker, 1, 10, 0.9);
    const [end] = ends(tracker.stop(T0 + 10 * FRAME));
    expect(end).toMatchObject({ utteranceId: 'u1', reason: 'CAPTURE_STOPPED' });
    expect(audioOf(end)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(tracker.stop(T0 + 20 * FRAME)).toEqual([]);
  });

  it('new settings apply to the utterance in progress', () => {
    const tracker = new UtteranceTracker(CONFIG, ids());
    tracker.frame(frame(0, 0.9));
    tracker.vadStart();
    feed(tracker, 1, 20, 0.9);
    tracker.configure({ ...CONFIG, maxSpeechMs: 600 });
    const [end] = ends(tracker.frame(frame(20, 0.9)));
    expect(end).toMatchObject({ utteranceId: 'u1', reason: 'MAX_SPEECH' });
  });
});
