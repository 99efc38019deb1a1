import { describe, expect, it } from 'vitest';

import type { VoiceView } from '@/shared/messages';

import { badgeFor } from './badge';

const voice = (change: Partial<VoiceView>) => ({
  on: true,
  state: 'observing' as VoiceView['state'],
  capture: 'running' as VoiceView['capture'],
  captureMessage: null,
  ...change,
});

describe('badgeFor', () => {
  it('shows nothing while voice is off', () => {
    expect(badgeFor(voice({ on: false }), 'connected').text).toBe('');
  });

  it('shows listening and recording', () => {
    expect(badgeFor(voice({}), 'connected')).toMatchObject({
      text: 'ON',
      title: 'Lossy: listening',
    });
    expect(badgeFor(voice({ state: 'cooldown' }), 'connected').text).toBe('ON');
    expect(badgeFor(voice({ state: 'recording' }), 'connected')).toMatchObject({
      text: 'REC',
      title: 'Lossy: recording',
    });
  });

  it('shows offline while the server is away', () => {
    expect(badgeFor(voice({ state: 'recording' }), 'offline').text).toBe('OFF');
    expect(badgeFor(voice({}), 'reconnecting').text).toBe('OFF');
  });

  it('shows an error above everything else, with its words in the title', () => {
    expect(badgeFor(voice({ capture: 'mic-denied' }), 'offline')).toMatchObject({
      text: 'ERR',
      title: 'Lossy: the microphone is not allowed',
    });
    expect(
      badgeFor(voice({ capture: 'failed', captureMessage: 'VAD failed' }), 'connected').title,
    ).toBe('Lossy: voice stopped by an error (VAD failed)');
    expect(badgeFor(voice({ state: 'error' }), 'connected').text).toBe('ERR');
  });
});
