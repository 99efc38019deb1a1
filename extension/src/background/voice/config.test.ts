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
      { apiKey: 'sk-1', downloadAllowed: false, fixture: null },
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
      captureConfig(DEFAULT_VOICE_SETTINGS, {
        apiKey: null,
        downloadAllowed: true,
        fixture: 'fixture:too loud|too late',
      }).transcription,
    ).toMatchObject({ mode: 'FIXTURE', model: 'fixture:too loud|too late' });
  });
});

describe('activeVersion', () => {
  const said = (version: number, voiceFlag: boolean) => ({ version, voiceFlag });

  it('takes the handshake’s version while nothing changed', () => {
    expect(activeVersion(said(2, true), true, null)).toBe(2);
    expect(activeVersion(said(1, true), true, null)).toBe(1);
    expect(activeVersion(said(1, false), false, null)).toBe(1);
    expect(activeVersion(null, undefined, null)).toBe(1);
  });

  it('downgrades when the flag goes off and upgrades when it comes on', () => {
    expect(activeVersion(said(2, true), false, null)).toBe(1);
    expect(activeVersion(said(1, false), true, null)).toBe(2);
  });

  it('follows the reviewer’s preferred version while the flag is on', () => {
    expect(activeVersion(said(2, true), true, 1)).toBe(1);
    expect(activeVersion(said(1, true), true, 2)).toBe(2);
    expect(activeVersion(said(2, true), false, 2)).toBe(1);
  });
});
