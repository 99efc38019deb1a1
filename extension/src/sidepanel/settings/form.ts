// The settings form's drafts: every input held as typed (text for numbers, so nothing typed
// is lost), read into an `UpdateSettingsInput` of only what changed. Ranges are the server's
// to judge; only what cannot be a number at all is refused here.

import type { PanelSettingsFragment, TranscriptionMode } from '@/gql/graphql';

export interface Draft {
  minConfidence: string;
  cooldownMs: string;
  autoResumeDelayMs: string;
  autoPauseVideo: boolean;
  transcriptionMode: TranscriptionMode;
  /** The endpoint's base URL as typed; empty for none. */
  transcriptionEndpoint: string;
  transcriptionModel: string;
}

export type FieldName = keyof Draft;

const FIELD_NAMES: readonly FieldName[] = [
  'minConfidence',
  'cooldownMs',
  'autoResumeDelayMs',
  'autoPauseVideo',
  'transcriptionMode',
  'transcriptionEndpoint',
  'transcriptionModel',
];

export function isFieldName(name: string): name is FieldName {
  return (FIELD_NAMES as readonly string[]).includes(name);
}

const INTEGERS = ['cooldownMs', 'autoResumeDelayMs'] as const;

export function draftOf(settings: PanelSettingsFragment): Draft {
  return {
    minConfidence: String(settings.minConfidence),
    cooldownMs: String(settings.cooldownMs),
    autoResumeDelayMs: String(settings.autoResumeDelayMs),
    autoPauseVideo: settings.autoPauseVideo,
    transcriptionMode: settings.transcriptionMode,
    transcriptionEndpoint: settings.transcriptionEndpoint ?? '',
    transcriptionModel: settings.transcriptionModel,
  };
}

/** The origin of an `http(s)` endpoint address, or null when it is not one. */
export function endpointOrigin(address: string): string | null {
  try {
    const url = new URL(address.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

export type ReadDraft =
  | { input: Record<string, unknown>; errors: null }
  | { input: null; errors: Partial<Record<FieldName, string>> };

export function readDraft(draft: Draft, settings: PanelSettingsFragment): ReadDraft {
  const input: Record<string, unknown> = {};
  const errors: Partial<Record<FieldName, string>> = {};
  const confidence = Number(draft.minConfidence.trim());
  if (draft.minConfidence.trim() === '' || !Number.isFinite(confidence)) {
    errors.minConfidence = 'Enter a number from 0 to 1.';
  } else if (confidence !== settings.minConfidence) {
    input.minConfidence = confidence;
  }
  for (const name of INTEGERS) {
    const text = draft[name].trim();
    if (!/^-?\d+$/.test(text)) {
      errors[name] = 'Enter a whole number of milliseconds.';
      continue;
    }
    const value = Number(text);
    if (value !== settings[name]) input[name] = value;
  }
  if (draft.autoPauseVideo !== settings.autoPauseVideo) input.autoPauseVideo = draft.autoPauseVideo;
  if (draft.transcriptionMode !== settings.transcriptionMode) {
    input.transcriptionMode = draft.transcriptionMode;
  }
  const endpoint = draft.transcriptionEndpoint.trim();
  if (endpoint !== '' && endpointOrigin(endpoint) === null) {
    errors.transcriptionEndpoint =
      'Enter an address starting with http:// or https://, such as http://192.168.1.20:8000/v1.';
  } else if (endpoint === '' && draft.transcriptionMode === 'ENDPOINT') {
    errors.transcriptionEndpoint = 'Enter the endpoint’s address to transcribe there.';
  } else if ((endpoint || null) !== settings.transcriptionEndpoint) {
    input.transcriptionEndpoint = endpoint || null;
  }
  const model = draft.transcriptionModel.trim();
  if (model === '' || model.length > 100) {
    errors.transcriptionModel =
      'Enter a model name of at most 100 characters, such as whisper-base.en.';
  } else if (model !== settings.transcriptionModel) {
    input.transcriptionModel = model;
  }
  return Object.keys(errors).length > 0 ? { input: null, errors } : { input, errors: null };
}
