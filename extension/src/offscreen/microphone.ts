// The one microphone stream, and what its failures mean to the reviewer.

import type { CaptureErrorCode } from '@/shared/voice';

/** A failure of capture, with the contract's code and a message for the reviewer. */
export class CaptureFailure extends Error {
  constructor(
    readonly code: CaptureErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CaptureFailure';
  }
}

export const CONSTRAINTS: MediaStreamConstraints = {
  audio: {
    echoCancellation: true,
    noiseSuppression: true,
    autoGainControl: true,
    channelCount: 1,
  },
};

const PERMISSION_HINT = "Open Lossy's microphone page and allow the microphone.";

/** What `getUserMedia`'s rejection means, given the permission's state when it is known. */
export function microphoneFailure(
  error: unknown,
  permission: PermissionState | null = null,
): CaptureFailure {
  const name = (error as { name?: unknown } | null)?.name;
  const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return new CaptureFailure(
        'MIC_DENIED',
        permission === 'denied'
          ? "The microphone is blocked for Lossy. Allow it in Chrome's site settings for the extension, or on Lossy's microphone page."
          : `Lossy may not use the microphone yet. ${PERMISSION_HINT}`,
      );
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return new CaptureFailure(
        'MIC_MISSING',
        'No microphone was found. Connect one, then turn voice on again.',
      );
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return new CaptureFailure(
        'MIC_MISSING',
        `The microphone could not be opened; another application may be using it${detail}.`,
      );
    default:
      return new CaptureFailure('FAILED', `The microphone could not be opened${detail}.`);
  }
}

async function permissionState(): Promise<PermissionState | null> {
  try {
    const status = await navigator.permissions.query({
      name: 'microphone',
    });
    return status.state;
  } catch {
    return null;
  }
}

/** Opens the microphone. An offscreen document cannot show the permission prompt: without a
 * grant made earlier on a visible extension page this fails with `MIC_DENIED`. */
export async function openMicrophone(): Promise<MediaStream> {
  try {
    return await navigator.mediaDevices.getUserMedia(CONSTRAINTS);
  } catch (error) {
    throw microphoneFailure(error, await permissionState());
  }
}
