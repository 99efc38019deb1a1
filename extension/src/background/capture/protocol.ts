// What the worker's side and the offscreen document agree on beyond the message contract of
// `@/shared/voice`: the document's address, and the receipt that lets it forget audio.

export const OFFSCREEN_PATH = 'offscreen.html';
export const MICROPHONE_PAGE_PATH = 'microphone.html';

/** The worker's answer to `capture/transcript`: `received` once the transcript is in its
 * durable outbox. Until then the offscreen document keeps the utterance's audio and
 * transcript and offers it again. */
export interface TranscriptReceipt {
  received: boolean;
}

export function isReceipt(value: unknown): value is TranscriptReceipt {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { received?: unknown }).received === 'boolean'
  );
}
