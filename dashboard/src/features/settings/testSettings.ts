import type { Settings } from './settingsForm';

/** The server's defaults (PROTOCOL.md section 5.5) at `version`, for tests. */
export function settingsAt(version: number, overrides: Partial<Settings> = {}): Settings {
  return {
    cooldownMs: 500,
    mergeWithinMs: 250,
    minSpeechMs: 200,
    maxSpeechMs: 15000,
    autoPauseVideo: true,
    autoResumeDelayMs: 500,
    idleStopMs: 180000,
    heartbeatIntervalMs: 5000,
    heartbeatTimeoutMs: 15000,
    maxRestarts: 3,
    restartWindowMs: 60000,
    sessionTtlMs: 600000,
    startThreshold: 0.6,
    endThreshold: 0.35,
    minSilenceMs: 650,
    preRollMs: 500,
    minConfidence: 0.3,
    preferredProtocolVersion: 2,
    transcriptionMode: 'ON_DEVICE',
    transcriptionEndpoint: null,
    transcriptionModel: 'whisper-base.en',
    version,
    updatedAt: null,
    ...overrides,
  };
}
