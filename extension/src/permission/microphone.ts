// The microphone permission as the page sees it: what the browser says now, and asking once.

import { microphoneFailure } from '@/offscreen/microphone';

export type MicrophoneState =
  /** Reading the permission's state. */
  | { kind: 'checking' }
  /** Never asked (or the answer was not kept): the page offers to ask. */
  | { kind: 'prompt' }
  /** Chrome's prompt is showing. */
  | { kind: 'asking' }
  | { kind: 'granted' }
  | { kind: 'denied' }
  | { kind: 'missing'; message: string }
  | { kind: 'error'; message: string };

export interface MicrophoneApi {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  /** The permission's state and its changes; null where the browser will not say. */
  permission(): Promise<PermissionStatus | null>;
}

export const browserMicrophone: MicrophoneApi = {
  getUserMedia: (constraints) => navigator.mediaDevices.getUserMedia(constraints),
  permission: async () => {
    try {
      return await navigator.permissions.query({ name: 'microphone' });
    } catch {
      return null;
    }
  },
};

export function fromPermission(state: PermissionState): MicrophoneState {
  return state === 'granted'
    ? { kind: 'granted' }
    : state === 'denied'
      ? { kind: 'denied' }
      : { kind: 'prompt' };
}

/** Asks for the microphone (Chrome shows its prompt unless the answer is already known) and
 * lets it go at once: the page only obtains the permission; capture opens its own stream. */
export async function askForMicrophone(api: MicrophoneApi): Promise<MicrophoneState> {
  try {
    const stream = await api.getUserMedia({ audio: true });
    for (const track of stream.getTracks()) track.stop();
    return { kind: 'granted' };
  } catch (error) {
    const failure = microphoneFailure(error);
    switch (failure.code) {
      case 'MIC_DENIED':
        return { kind: 'denied' };
      case 'MIC_MISSING':
        return { kind: 'missing', message: failure.message };
      default:
        return { kind: 'error', message: failure.message };
    }
  }
}
