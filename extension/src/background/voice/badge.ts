// The toolbar badge (`chrome.action`): listening, recording, offline and error at a glance,
// with the same words in the button's title for screen readers. Pure.

import type { ExtensionState, VoiceView } from '@/shared/messages';

export interface Badge {
  text: string;
  color: string;
  title: string;
}

const LISTENING = '#137333';
const RECORDING = '#c5221f';
const OFFLINE = '#5f6368';
const ERROR = '#b06000';

export function badgeFor(
  voice: Pick<VoiceView, 'on' | 'state' | 'capture' | 'captureMessage'>,
  connection: ExtensionState['connection'],
): Badge {
  if (!voice.on) return { text: '', color: LISTENING, title: 'Lossy' };
  if (voice.capture === 'mic-denied') {
    return { text: 'ERR', color: ERROR, title: 'Lossy: the microphone is not allowed' };
  }
  if (voice.capture === 'mic-missing') {
    return { text: 'ERR', color: ERROR, title: 'Lossy: no microphone found' };
  }
  if (voice.capture === 'failed' || voice.state === 'error') {
    return {
      text: 'ERR',
      color: ERROR,
      title: `Lossy: voice stopped by an error${voice.captureMessage ? ` (${voice.captureMessage})` : ''}`,
    };
  }
  if (connection === 'offline' || connection === 'reconnecting' || voice.state === 'disconnected') {
    // Speech is still heard and kept; it reaches the server when it is back.
    return { text: 'OFF', color: OFFLINE, title: 'Lossy: offline, still listening' };
  }
  if (voice.state === 'recording')
    return { text: 'REC', color: RECORDING, title: 'Lossy: recording' };
  if (voice.state === 'idle' || voice.state === 'closed' || voice.state === 'waiting') {
    return { text: '', color: LISTENING, title: 'Lossy: voice is on, not listening now' };
  }
  return { text: 'ON', color: LISTENING, title: 'Lossy: listening' };
}
