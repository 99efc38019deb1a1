import { describe, expect, it } from 'vitest';

import { activeVersion, captureConfig, DEFAULT_VOICE_SETTINGS, readVoiceSettings } from './config';

describe('voice settings', () => {
  it('reads the handshake config names over the defaults, ignoring the rest', () => {
    const settings = readVoiceSettings(
      {
        cooldownMs: 900,
        preRollMs: 0,
        autoPauseVideo: false,
        startThreshold: 'high',
        minSilenceMs: -5,
        transcriptionMode: 'ENDPOINT',
        transcriptionEndpoint: 'http://127.0.0.1:9000/v1',
        transcriptionModel: ' whisper-base ',
        version: 4,
      },
      DEFAULT_VOICE_SETTINGS,
    );
    expect(settings).toMatchObject({
      cooldownMs: 900,
      preRollMs: 0,
      autoPauseVideo: false,
      startThreshold: 0.6,
      minSilenceMs: 650,
      transcriptionMode: 'ENDPOINT',
      transcriptionEndpoint: 'http://127.0.0.1:9000/v1',
      transcriptionModel: 'whisper-base',
    });
    expect(readVoiceSettings(null, DEFAULT_VOICE_SETTINGS)).toBe(DEFAULT_VOICE_SETTINGS);
  });

  it('gives the capture the VAD thresholds, the transcriber and this device’s key', () => {
    const config = captureConfig(
      {
        ...DEFAULT_VOICE_SETTINGS,
        transcriptionMode: 'ENDPOINT',
        transcriptionEndpoint: 'http://x',
      },
      { apiKey: 'sk-1', downloadAllowed: false, fixture: false },
    );
    expect(config.vad).toEqual({
      startThreshold: 0.6,
      endThreshold: 0.35,
      minSilenceMs: 650,
      minSpeechMs: 200,
      maxSpeechMs: 15_000,
      preRollMs: 500,
    });
    expect(config.transcription).toEqual({
      mode: 'ENDPOINT',
      endpoint: 'http://x',
      model: 'whisper-base.en',
      apiKey: 'sk-1',
      downloadAllowed: false,
    });
    expect(
      captureConfig(DEFAULT_VOICE_SETTINGS, { apiKey: null, downloadAllowed: true, fixture: true })
        .transcription.mode,
    ).toBe('FIXTURE');
  });
});

describe('activeVersion', () => {
  it('takes the handshake’s version until a flag or setting changes it', () => {
    expect(activeVersion(2, true, null)).toBe(2);
    expect(activeVersion(1, true, null)).toBe(1);
    expect(activeVersion(2, false, null)).toBe(1);
    expect(activeVersion(2, true, 1)).toBe(1);
    expect(activeVersion(1, true, 2)).toBe(2);
    expect(activeVersion(null, undefined, null)).toBe(1);
  });
});
