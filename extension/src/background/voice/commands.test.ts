import { describe, expect, it } from 'vitest';

import { actionsFor, type VoiceStatus } from './commands';

function status(change: Partial<VoiceStatus>): VoiceStatus {
  return {
    sessionId: 's1',
    state: 'RECORDING',
    previousState: 'OBSERVING',
    cause: 'speech_start',
    seq: 3,
    command: null,
    commandReason: null,
    restartBackoffMs: null,
    ...change,
  };
}

const owner = { sessionId: 's1', tabId: 7 };

describe('actionsFor', () => {
  it('pauses and resumes the owning tab only', () => {
    expect(actionsFor(status({ command: 'PAUSE_VIDEO' }), owner)).toEqual([
      { kind: 'state', state: 'RECORDING', appliedSeq: 3 },
      { kind: 'pause-video', tabId: 7 },
    ]);
    expect(
      actionsFor(status({ state: 'COOLDOWN', command: 'RESUME_VIDEO' }), owner).at(-1),
    ).toEqual({ kind: 'resume-video', tabId: 7 });
  });

  it('touches no tab when the owning tab is gone', () => {
    const actions = actionsFor(status({ command: 'PAUSE_VIDEO' }), {
      sessionId: 's1',
      tabId: null,
    });
    expect(actions.map((a) => a.kind)).toEqual(['state']);
  });

  it('ignores another session’s statuses, an old one’s closing included', () => {
    const closing = status({
      sessionId: 'old',
      state: 'CLOSED',
      command: 'STOP_CAPTURE',
      commandReason: 'context_moved',
    });
    expect(actionsFor(closing, owner)).toEqual([]);
    expect(actionsFor(status({ command: 'PAUSE_VIDEO' }), { sessionId: null, tabId: 7 })).toEqual(
      [],
    );
  });

  it('ends the utterance, stops and restarts capture as told', () => {
    expect(actionsFor(status({ command: 'STOP_UTTERANCE' }), owner).at(-1)).toEqual({
      kind: 'stop-utterance',
    });
    expect(
      actionsFor(
        status({ state: 'IDLE', command: 'STOP_CAPTURE', commandReason: 'no_speech_timeout' }),
        owner,
      ).at(-1),
    ).toEqual({ kind: 'stop-capture', reason: 'no_speech_timeout' });
    expect(
      actionsFor(
        status({ state: 'ERROR', command: 'RESTART_CAPTURE', restartBackoffMs: 1000 }),
        owner,
      ).at(-1),
    ).toEqual({ kind: 'restart-capture', afterMs: 1000 });
  });

  it('resets instead of merely taking the state on RESET_SESSION', () => {
    expect(
      actionsFor(status({ state: 'OBSERVING', seq: 9, command: 'RESET_SESSION' }), owner),
    ).toEqual([{ kind: 'reset', state: 'OBSERVING', appliedSeq: 9 }]);
  });

  it('says when the session closed, and why', () => {
    const actions = actionsFor(
      status({ state: 'CLOSED', command: 'STOP_CAPTURE', commandReason: 'context_moved' }),
      owner,
    );
    expect(actions.map((a) => a.kind)).toEqual(['state', 'stop-capture', 'session-ended']);
    expect(actions.at(-1)).toEqual({ kind: 'session-ended', reason: 'context_moved' });
    expect(actionsFor(status({ state: 'CLOSED', cause: 'ttl' }), owner).at(-1)).toEqual({
      kind: 'session-ended',
      reason: 'ttl',
    });
  });
});
