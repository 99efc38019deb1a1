// The reviewer's voice controls in the side panel: voice on or off, the session's state in
// words (the server's, in v2), the microphone's level, the utterances on their way to notes,
// and what to do when the microphone is refused or missing. Everything comes from the
// worker's `state.voice` and its `voice/level` messages.

import { formatMediaTime } from '@lossy/common/media-time';
import { useEffect, useState } from 'react';

import { MICROPHONE_PAGE_PATH } from '@/background/capture/protocol';
import type { VoiceUtteranceView, VoiceView } from '@/shared/messages';
import type { PanelClient } from '@/ui/client';
import { CHIP_WORDS } from '@/ui/voiceWords';

import './voice.css';

const UTTERANCE_WORDS: Record<VoiceUtteranceView['status'], string> = {
  recording: 'Recording',
  transcribing: 'Transcribing',
  sending: 'Sending',
  failed: 'Failed',
};

/** The microphone page's address (a visible extension page: the only place that can ask). */
function microphonePage(): string | null {
  try {
    return chrome.runtime.getURL(MICROPHONE_PAGE_PATH);
  } catch {
    // The mock mode has no extension.
    return null;
  }
}

/** The push-to-talk shortcut as the reviewer set it in Chrome (chrome://extensions/shortcuts). */
function useShortcut(): string | null {
  const [shortcut, setShortcut] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    try {
      void chrome.commands.getAll().then((commands) => {
        const command = commands.find((c) => c.name === 'push-to-talk');
        if (live) setShortcut(command?.shortcut ? command.shortcut : null);
      });
    } catch {
      // No extension API (the mock mode).
    }
    return () => {
      live = false;
    };
  }, []);
  return shortcut;
}

function LevelMeter({ client, running }: { client: PanelClient; running: boolean }) {
  const [level, setLevel] = useState(0);
  useEffect(() => client.onVoiceLevel(setLevel), [client]);
  const percent = running ? Math.round(Math.min(1, Math.max(0, level)) * 100) : 0;
  return (
    <div
      className="voice-meter"
      role="meter"
      aria-label="Microphone level"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={running ? `${percent}%` : 'Microphone off'}
    >
      <div className="voice-meter-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}

function MicrophoneProblem({ voice }: { voice: VoiceView }) {
  const page = microphonePage();
  const words =
    voice.capture === 'mic-denied'
      ? 'Lossy may not use the microphone yet.'
      : voice.capture === 'mic-missing'
        ? 'No microphone was found. Plug one in, then turn voice on again.'
        : `Voice stopped: ${voice.captureMessage ?? 'the microphone or speech detection failed'}.`;
  return (
    <div className="notice notice-error" role="alert">
      <p>{words}</p>
      {(voice.capture === 'mic-denied' || voice.capture === 'mic-missing') && page && (
        <a href={page} target="_blank" rel="noreferrer">
          {voice.capture === 'mic-denied' ? 'Allow the microphone' : 'Check the microphone'}
        </a>
      )}
    </div>
  );
}

export function VoiceControls({
  voice,
  client,
  readOnly,
}: {
  voice: VoiceView;
  client: PanelClient;
  /** Another tab owns the video: turning voice on here takes it over. */
  readOnly: boolean;
}) {
  const shortcut = useShortcut();
  const running = voice.on && voice.capture === 'running';
  const stuck = voice.on && (voice.state === 'idle' || voice.capture === 'off');
  const problem =
    voice.on &&
    (voice.capture === 'mic-denied' ||
      voice.capture === 'mic-missing' ||
      voice.capture === 'failed');
  return (
    <section className="voice" aria-label="Voice">
      <div className="voice-row">
        <button
          type="button"
          className="button voice-toggle"
          aria-pressed={voice.on}
          onClick={() => client.send({ kind: 'voice/set', on: !voice.on })}
        >
          <span className="voice-dot" aria-hidden="true" data-state={voice.state} />
          Voice
        </button>
        <span className="voice-chip" role="status" data-state={voice.state}>
          {CHIP_WORDS[voice.state]}
        </span>
        {voice.on && <LevelMeter client={client} running={running} />}
      </div>
      {readOnly && !voice.on && (
        <p className="hint">Turning voice on here takes this video over from the other tab.</p>
      )}
      {problem && <MicrophoneProblem voice={voice} />}
      {voice.notice && !problem && (
        <div className="notice">
          <p>{voice.notice}</p>
          {stuck && (
            <button
              type="button"
              className="button"
              onClick={() => client.send({ kind: 'voice/set', on: true })}
            >
              Listen again
            </button>
          )}
        </div>
      )}
      {voice.modelProgress !== null && (
        <div className="voice-progress">
          <label htmlFor="voice-model-progress">Loading the speech model</label>
          <progress id="voice-model-progress" max={1} value={voice.modelProgress} />
        </div>
      )}
      {voice.utterances.length > 0 && (
        <ul className="voice-queue" aria-label="Utterances on their way to notes">
          {voice.utterances.map((utterance) => (
            <li key={utterance.utteranceId} data-status={utterance.status}>
              <span className="voice-queue-time">{formatMediaTime(utterance.mediaTime)}</span>
              <span>{UTTERANCE_WORDS[utterance.status]}</span>
              {utterance.message && <span className="hint">{utterance.message}</span>}
              {utterance.status === 'failed' && (
                <button
                  type="button"
                  className="button subtle"
                  aria-label={`Try the utterance at ${formatMediaTime(utterance.mediaTime)} again`}
                  onClick={() =>
                    client.send({ kind: 'voice/retry', utteranceId: utterance.utteranceId })
                  }
                >
                  Try again
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {voice.on && voice.queued > 0 && (
        <p className="hint">
          {voice.queued === 1
            ? '1 utterance waiting to be transcribed.'
            : `${voice.queued} utterances waiting to be transcribed.`}
        </p>
      )}
      <p className="hint">
        {shortcut
          ? `Push-to-talk: press ${shortcut} to start talking, press it again to stop.`
          : 'Push-to-talk: set a shortcut for “Push to talk” in chrome://extensions/shortcuts.'}
        {voice.protocol === 1 && ' This account runs the voice loop in the browser (protocol v1).'}
      </p>
    </section>
  );
}
