import { describe, expect, it } from 'vitest';

import { changesOf, explainAnswer, parseRollout, previewSummary } from './flagForm';

describe('parseRollout', () => {
  it('takes whole numbers from 0 to 100 only', () => {
    expect(parseRollout(' 25 ')).toEqual({ ok: true, value: 25 });
    expect(parseRollout('0')).toEqual({ ok: true, value: 0 });
    expect(parseRollout('100')).toEqual({ ok: true, value: 100 });
    expect(parseRollout('101')).toEqual({ ok: false, error: 'The rollout is from 0 to 100.' });
    expect(parseRollout('-1')).toEqual({ ok: false, error: 'The rollout is from 0 to 100.' });
    expect(parseRollout('2.5')).toEqual({ ok: false, error: 'The rollout is a whole number.' });
    expect(parseRollout('')).toEqual({ ok: false, error: 'Give a rollout from 0 to 100.' });
  });
});

describe('changesOf', () => {
  const flag = { name: 'voice_v2', defaultEnabled: false, rolloutPercent: 10 };
  it('sends only what changed, nothing for no change or an invalid rollout', () => {
    expect(changesOf(flag, { defaultEnabled: false, rolloutText: '25' })).toEqual({
      name: 'voice_v2',
      rolloutPercent: 25,
    });
    expect(changesOf(flag, { defaultEnabled: true, rolloutText: '10' })).toEqual({
      name: 'voice_v2',
      defaultEnabled: true,
    });
    expect(changesOf(flag, { defaultEnabled: false, rolloutText: '10' })).toBeNull();
    expect(changesOf(flag, { defaultEnabled: true, rolloutText: '101' })).toBeNull();
  });
});

describe('explanations', () => {
  it('says why a user gets their answer', () => {
    expect(explainAnswer({ enabled: true, reason: 'ROLLOUT', bucket: 7 }, 25)).toBe(
      'On: rollout bucket 7 is below 25 %, so the rollout turns it on.',
    );
    expect(explainAnswer({ enabled: false, reason: 'DEFAULT', bucket: 60 }, 25)).toBe(
      'Off: the default, since rollout bucket 60 is not below 25 %.',
    );
    expect(explainAnswer({ enabled: false, reason: 'OVERRIDE', bucket: 3 }, 25)).toMatch(
      /^Off: the user's own override/,
    );
  });

  it('sums up a preview', () => {
    expect(
      previewSummary({ usersConsidered: 120, changedCount: 3, turningOn: 2, turningOff: 1 }),
    ).toBe('3 of 120 users change: 2 turn on, 1 turns off.');
    expect(
      previewSummary({ usersConsidered: 5, changedCount: 0, turningOn: 0, turningOff: 0 }),
    ).toBe("No user's answer changes (5 users considered).");
  });
});
