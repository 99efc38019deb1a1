// The voice loop's states in the words the side panel and the popup both show.

import type { VoiceChipState } from '@/shared/messages';

/** The chip's words for each state (STYLE.md: states are named, in words). */
export const CHIP_WORDS: Record<VoiceChipState, string> = {
  off: 'Voice off',
  starting: 'Starting…',
  waiting: 'Waiting for a video',
  idle: 'Paused: no speech for a while',
  observing: 'Listening',
  recording: 'Recording',
  cooldown: 'Cooling down',
  error: 'Error',
  disconnected: 'Offline: still listening',
  reconnecting: 'Reconnecting…',
  closed: 'Not listening',
};
