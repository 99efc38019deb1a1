// The voice loop as the popup tells it, from the worker's `state.voice`: on or off, the
// session's state in the side panel's words, and what is wrong when something is (offline,
// a refused or missing microphone, a failed capture). The controls stay in the side panel.

import type { ExtensionState, VoiceView } from '@/shared/messages';
import { CHIP_WORDS } from '@/ui/voiceWords';

export interface VoiceSummary {
  /** "Voice on: Listening", "Voice off". */
  headline: string;
  /** What the reviewer should know besides, or null. */
  detail: string | null;
  tone: 'off' | 'on' | 'offline' | 'error';
}

export function voiceSummary(
  voice: VoiceView,
  connection: ExtensionState['connection'],
): VoiceSummary {
  if (!voice.on) return { headline: 'Voice off', detail: null, tone: 'off' };
  const headline = `Voice on: ${CHIP_WORDS[voice.state]}`;
  if (voice.capture === 'mic-denied') {
    return {
      headline,
      detail: 'Lossy may not use the microphone yet: open the side panel to allow it.',
      tone: 'error',
    };
  }
  if (voice.capture === 'mic-missing') {
    return { headline, detail: 'No microphone was found.', tone: 'error' };
  }
  if (voice.capture === 'failed' || voice.state === 'error') {
    return {
      headline,
      detail: `Voice stopped: ${voice.captureMessage ?? voice.notice ?? 'the microphone or speech detection failed'}.`,
      tone: 'error',
    };
  }
  if (
    voice.state === 'disconnected' ||
    voice.state === 'reconnecting' ||
    connection !== 'connected'
  ) {
    return {
      headline,
      detail:
        'The server is away: what you say is still heard and kept, and becomes notes once it is back.',
      tone: 'offline',
    };
  }
  return { headline, detail: voice.notice, tone: 'on' };
}

export function VoiceStatus({
  voice,
  connection,
}: {
  voice: VoiceView;
  connection: ExtensionState['connection'];
}) {
  const summary = voiceSummary(voice, connection);
  return (
    <section className="popup-voice" aria-label="Voice" data-tone={summary.tone}>
      <p role="status" data-voice-state={voice.state}>
        {summary.headline}
      </p>
      {summary.detail && (
        <p className={summary.tone === 'error' ? 'field-error' : 'hint'}>{summary.detail}</p>
      )}
    </section>
  );
}
