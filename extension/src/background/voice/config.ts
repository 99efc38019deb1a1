// The voice configuration (PROTOCOL.md 5.5) as the worker uses it: read from the handshake's
// `config` and from `settingsChanged` (the same names), turned into the capture's config, and
// which protocol version drives the loop. Pure.

import type { CaptureConfig } from '@/shared/voice';

export interface VoiceSettings {
  cooldownMs: number;
  mergeWithinMs: number;
  minSpeechMs: number;
  maxSpeechMs: number;
  autoPauseVideo: boolean;
  autoResumeDelayMs: number;
  idleStopMs: number;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  maxRestarts: number;
  restartWindowMs: number;
  sessionTtlMs: number;
  startThreshold: number;
  endThreshold: number;
  minSilenceMs: number;
  preRollMs: number;
  transcriptionMode: 'ON_DEVICE' | 'ENDPOINT';
  transcriptionEndpoint: string | null;
  transcriptionModel: string;
}

/** The server's defaults, for a worker that has not heard the server yet. */
export const DEFAULT_VOICE_SETTINGS: VoiceSettings = {
  cooldownMs: 500,
  mergeWithinMs: 250,
  minSpeechMs: 200,
  maxSpeechMs: 15_000,
  autoPauseVideo: true,
  autoResumeDelayMs: 500,
  idleStopMs: 180_000,
  heartbeatIntervalMs: 5_000,
  heartbeatTimeoutMs: 15_000,
  maxRestarts: 3,
  restartWindowMs: 60_000,
  sessionTtlMs: 600_000,
  startThreshold: 0.6,
  endThreshold: 0.35,
  minSilenceMs: 650,
  preRollMs: 500,
  transcriptionMode: 'ON_DEVICE',
  transcriptionEndpoint: null,
  transcriptionModel: 'whisper-base.en',
};

type NumberKey = {
  [K in keyof VoiceSettings]: VoiceSettings[K] extends number ? K : never;
}[keyof VoiceSettings];

const NUMBERS: NumberKey[] = [
  'cooldownMs',
  'mergeWithinMs',
  'minSpeechMs',
  'maxSpeechMs',
  'autoResumeDelayMs',
  'idleStopMs',
  'heartbeatIntervalMs',
  'heartbeatTimeoutMs',
  'maxRestarts',
  'restartWindowMs',
  'sessionTtlMs',
  'startThreshold',
  'endThreshold',
  'minSilenceMs',
  'preRollMs',
];

/** The known names of `value` with the right types over `base`; anything else is ignored. */
export function readVoiceSettings(value: unknown, base: VoiceSettings): VoiceSettings {
  if (!value || typeof value !== 'object') return base;
  const source = value as Record<string, unknown>;
  const next: VoiceSettings = { ...base };
  for (const key of NUMBERS) {
    const field = source[key];
    if (typeof field === 'number' && Number.isFinite(field) && field >= 0) next[key] = field;
  }
  if (typeof source.autoPauseVideo === 'boolean') next.autoPauseVideo = source.autoPauseVideo;
  if (source.transcriptionMode === 'ON_DEVICE' || source.transcriptionMode === 'ENDPOINT') {
    next.transcriptionMode = source.transcriptionMode;
  }
  if (typeof source.transcriptionEndpoint === 'string' || source.transcriptionEndpoint === null) {
    next.transcriptionEndpoint = source.transcriptionEndpoint;
  }
  if (typeof source.transcriptionModel === 'string' && source.transcriptionModel.trim()) {
    next.transcriptionModel = source.transcriptionModel.trim();
  }
  return next;
}

/** What this device adds to the reviewer's settings: never sent to the Lossy server. */
export interface DeviceVoice {
  /** The hosted endpoint's API key (`chrome.storage.local`). */
  apiKey: string | null;
  /** The reviewer agreed to download the on-device model. */
  downloadAllowed: boolean;
  /** Development builds only: the tests' fixture transcriber, as its `model` string
   * (`fixture:first text|second text`, src/transcription/fixture.ts), or null. */
  fixture: string | null;
}

export function captureConfig(settings: VoiceSettings, device: DeviceVoice): CaptureConfig {
  return {
    vad: {
      startThreshold: settings.startThreshold,
      endThreshold: settings.endThreshold,
      minSilenceMs: settings.minSilenceMs,
      minSpeechMs: settings.minSpeechMs,
      maxSpeechMs: settings.maxSpeechMs,
      preRollMs: settings.preRollMs,
    },
    transcription: {
      mode: device.fixture !== null ? 'FIXTURE' : settings.transcriptionMode,
      endpoint: settings.transcriptionEndpoint,
      model: device.fixture ?? settings.transcriptionModel,
      apiKey: device.apiKey,
      downloadAllowed: device.downloadAllowed,
    },
  };
}

/** What the handshake said: its `activeVersion`, and whether `server_voice_session` was on. */
export interface HandshakeVersion {
  version: number;
  voiceFlag: boolean | undefined;
}

/**
 * The protocol version that drives the loop, as the server negotiates it (PROTOCOL.md
 * section 4): 1 while `server_voice_session` is off, else the lower of 2 and the reviewer's
 * `preferredProtocolVersion`. The handshake's `activeVersion` stands until a flag or a
 * setting says otherwise (`featuresChanged`, `settingsChanged`): a flag turned on upgrades to
 * 2 unless the handshake (made with the flag on) or the settings say the reviewer prefers 1.
 */
export function activeVersion(
  handshake: HandshakeVersion | null,
  voiceFlag: boolean | undefined,
  preferred: number | null,
): 1 | 2 {
  if (voiceFlag === false) return 1;
  const two = (version: number): 1 | 2 => (version >= 2 ? 2 : 1);
  if (preferred !== null && voiceFlag === true) return two(preferred);
  if (handshake && (handshake.voiceFlag === true || voiceFlag === undefined)) {
    return two(handshake.version);
  }
  return voiceFlag === true ? 2 : 1;
}
