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
}

export type FieldName = keyof Draft;

const FIELD_NAMES: readonly FieldName[] = [
  'minConfidence',
  'cooldownMs',
  'autoResumeDelayMs',
  'autoPauseVideo',
  'transcriptionMode',
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
  };
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
  return Object.keys(errors).length > 0 ? { input: null, errors } : { input, errors: null };
}
