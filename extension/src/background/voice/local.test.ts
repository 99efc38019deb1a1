import { describe, expect, it } from 'vitest';

import { DEFAULT_VOICE_SETTINGS } from './config';
import {
  LOCAL_IDLE,
  localAdopt,
  localDeadline,
  localListen,
  localMisfire,
  localSpeechEnd,
  localSpeechStart,
  localTick,
} from './local';

// auto-pause on, resume 500 ms, cooldown 500 ms, min 200 ms, idle stop 180 s
const config = DEFAULT_VOICE_SETTINGS;
const IDLE = config.idleStopMs;

describe('the v1 local loop', () => {
  it('pauses a playing video at speech start and resumes it after the delay', () => {
    const started = localSpeechStart(
      LOCAL_IDLE,
      { utteranceId: 'u', playing: true, now: 0 },
      config,
    );
    expect(started.actions).toEqual(['pause']);
    expect(started.loop.state).toBe('recording');
    const ended = localSpeechEnd(
      started.loop,
      { utteranceId: 'u', durationMs: 1500, now: 2000 },
      config,
    );
    expect(ended.loop.state).toBe('cooldown');
    expect(localDeadline(ended.loop)).toBe(2500);
    expect(localTick(ended.loop, 2400).actions).toEqual([]);
    const due = localTick(ended.loop, 2500);
    expect(due.actions).toEqual(['resume']);
    expect(due.loop).toEqual({ ...LOCAL_IDLE, idleAt: 2500 + IDLE });
  });

  it('neither pauses nor resumes a video that was not playing', () => {
    const started = localSpeechStart(
      LOCAL_IDLE,
      { utteranceId: 'u', playing: false, now: 0 },
      config,
    );
    expect(started.actions).toEqual([]);
    const ended = localSpeechEnd(
      started.loop,
      { utteranceId: 'u', durationMs: 900, now: 900 },
      config,
    );
    expect(localTick(ended.loop, 5000).actions).toEqual([]);
  });

  it('does not pause with auto-pause off', () => {
    const off = { ...config, autoPauseVideo: false };
    expect(
      localSpeechStart(LOCAL_IDLE, { utteranceId: 'u', playing: true, now: 0 }, off).actions,
    ).toEqual([]);
  });

  it('resumes at once after speech too short to be a note, or a misfire', () => {
    const started = localSpeechStart(
      LOCAL_IDLE,
      { utteranceId: 'u', playing: true, now: 0 },
      config,
    );
    expect(
      localSpeechEnd(started.loop, { utteranceId: 'u', durationMs: 100, now: 100 }, config).actions,
    ).toEqual(['resume']);
    expect(localMisfire(started.loop, 'u', 100, config).actions).toEqual(['resume']);
    expect(localMisfire(started.loop, 'other', 100, config).actions).toEqual([]);
  });

  it('keeps the video paused when speech starts again before the resume', () => {
    let step = localSpeechStart(LOCAL_IDLE, { utteranceId: 'a', playing: true, now: 0 }, config);
    step = localSpeechEnd(step.loop, { utteranceId: 'a', durationMs: 1000, now: 1000 }, config);
    // 300 ms later, still before the resume: the video is paused by us, so not "playing".
    step = localSpeechStart(step.loop, { utteranceId: 'b', playing: false, now: 1300 }, config);
    expect(step.actions).toEqual([]);
    expect(step.loop.paused).toBe(true);
    step = localSpeechEnd(step.loop, { utteranceId: 'b', durationMs: 1000, now: 2300 }, config);
    expect(localTick(step.loop, 2800).actions).toEqual(['resume']);
  });

  it('takes over an utterance a v2 session was recording, to resume the video after it', () => {
    const loop = localAdopt({ utteranceId: 'u', playing: true }, config, 0);
    const ended = localSpeechEnd(loop, { utteranceId: 'u', durationMs: 800, now: 10 }, config);
    expect(localTick(ended.loop, 510).actions).toEqual(['resume']);
    expect(localAdopt(null, config, 40)).toEqual({ ...LOCAL_IDLE, idleAt: 40 + IDLE });
  });

  it('stops capture after idleStopMs observing without speech, as the server does in v2', () => {
    const listening = localListen(LOCAL_IDLE, 1_000, config);
    expect(localDeadline(listening)).toBe(1_000 + IDLE);
    expect(localTick(listening, 1_000 + IDLE - 1).actions).toEqual([]);
    const idle = localTick(listening, 1_000 + IDLE);
    expect(idle.actions).toEqual(['stop-capture']);
    expect(idle.loop.state).toBe('idle');
    expect(localDeadline(idle.loop)).toBeNull();
    // "Listen again": observing, the time counted from then.
    const again = localListen(idle.loop, 500_000, config);
    expect(again).toMatchObject({ state: 'observing', idleAt: 500_000 + IDLE });
  });

  it('counts the idle time from the end of the last speech, and not while speech goes on', () => {
    let step = localSpeechStart(
      localListen(LOCAL_IDLE, 0, config),
      { utteranceId: 'a', playing: false, now: 100_000 },
      config,
    );
    expect(localDeadline(step.loop)).toBeNull();
    // A long utterance: no idle stop while it is spoken.
    expect(localTick(step.loop, 100_000 + 2 * IDLE).actions).toEqual([]);
    step = localSpeechEnd(step.loop, { utteranceId: 'a', durationMs: 4_000, now: 104_000 }, config);
    // Armed when the cooldown ends (observing again), as the server's timer.
    expect(localTick(step.loop, 104_500).loop.state).toBe('observing');
    expect(localTick(localTick(step.loop, 104_500).loop, 104_500 + IDLE - 1).actions).toEqual([]);
    expect(localTick(step.loop, 104_500 + IDLE).actions).toEqual(['stop-capture']);
    // A speech start the VAD took back counts as no speech: observing again from then.
    const misfired = localMisfire(
      localSpeechStart(LOCAL_IDLE, { utteranceId: 'b', playing: false, now: 7 }, config).loop,
      'b',
      9,
      config,
    );
    expect(localDeadline(misfired.loop)).toBe(9 + IDLE);
  });

  it('drops its idle stop while a v2 session decides', () => {
    const listening = localListen(LOCAL_IDLE, 0, config);
    const step = localTick(listening, IDLE, false);
    expect(step.actions).toEqual([]);
    expect(step.loop.state).toBe('observing');
    expect(localDeadline(step.loop)).toBeNull();
  });

  it('ignores a loop kept by an older version without an idle deadline', () => {
    const old = { ...LOCAL_IDLE, idleAt: undefined };
    expect(localDeadline(old)).toBeNull();
    expect(localTick(old, 10 * IDLE).actions).toEqual([]);
  });
});
