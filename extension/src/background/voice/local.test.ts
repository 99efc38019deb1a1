import { describe, expect, it } from 'vitest';

import { DEFAULT_VOICE_SETTINGS } from './config';
import {
  LOCAL_IDLE,
  localAdopt,
  localDeadline,
  localMisfire,
  localSpeechEnd,
  localSpeechStart,
  localTick,
} from './local';

const config = DEFAULT_VOICE_SETTINGS; // auto-pause on, resume 500 ms, cooldown 500 ms, min 200 ms

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
    expect(due.loop).toEqual(LOCAL_IDLE);
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
    expect(localMisfire(started.loop, 'u').actions).toEqual(['resume']);
    expect(localMisfire(started.loop, 'other').actions).toEqual([]);
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
    const loop = localAdopt({ utteranceId: 'u', playing: true }, config);
    const ended = localSpeechEnd(loop, { utteranceId: 'u', durationMs: 800, now: 10 }, config);
    expect(localTick(ended.loop, 510).actions).toEqual(['resume']);
    expect(localAdopt(null, config)).toEqual(LOCAL_IDLE);
  });
});
