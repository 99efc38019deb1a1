// What the settings page shows for each setting of `UserSettings`: a plain-language label, the
// unit, a hint, and how its input is read. The ranges are not here: the server owns them and
// says what is wrong (the page shows its message beside the field).

import type { UpdateSettingsInput } from '@/gql/graphql';

/** Every setting the page edits: the server's `UpdateSettingsInput` minus what it does not. */
export type SettingName = Exclude<
  keyof UpdateSettingsInput,
  'clientPreferences' | 'expectedVersion'
>;

export type FieldKind =
  /** A whole number, typed as text (so nothing typed is lost) and read on save. */
  | 'integer'
  /** A decimal number, e.g. a probability from 0 to 1. */
  | 'decimal'
  | 'boolean'
  /** One of a few values, chosen with radio buttons. */
  | 'choice'
  /** Free text; an empty box sends `null`. */
  | 'text';

export interface FieldSpec {
  label: string;
  kind: FieldKind;
  /** Shown after the label, e.g. "milliseconds". */
  unit?: string;
  hint: string;
  /** For `choice`: value → label. */
  options?: readonly (readonly [string, string])[];
  /** For `text`: how the browser helps (`url` brings the right keyboard). */
  inputMode?: 'url' | 'text';
  /** For `text`: an empty box means "none" (`null`) rather than an empty string. */
  nullable?: boolean;
}

const MS = 'milliseconds';

/**
 * The table is keyed by setting name and `satisfies` a record of every `SettingName`, so a
 * setting added to the schema fails type checking until it has a label here.
 */
export const FIELDS = {
  cooldownMs: {
    label: 'Quiet time after a note',
    kind: 'integer',
    unit: MS,
    hint: 'After an utterance ends, the next one may start this much later.',
  },
  mergeWithinMs: {
    label: 'Join speech resumed within',
    kind: 'integer',
    unit: MS,
    hint: 'Speech that starts again this soon after it ended continues the same note.',
  },
  minSpeechMs: {
    label: 'Shortest speech kept',
    kind: 'integer',
    unit: MS,
    hint: 'Anything shorter is dropped as noise.',
  },
  maxSpeechMs: {
    label: 'Longest utterance',
    kind: 'integer',
    unit: MS,
    hint: 'Speech still going after this long is ended and turned into a note.',
  },
  autoPauseVideo: {
    label: 'Pause the video while I speak',
    kind: 'boolean',
    hint: 'The video resumes on its own after you stop speaking.',
  },
  autoResumeDelayMs: {
    label: 'Resume the video after',
    kind: 'integer',
    unit: MS,
    hint: 'Wait this long after speech ends before a video paused for it plays again.',
  },
  idleStopMs: {
    label: 'Stop listening after no speech for',
    kind: 'integer',
    unit: MS,
    hint: 'A session that hears nothing this long stops using the microphone.',
  },
  heartbeatIntervalMs: {
    label: 'Heartbeat every',
    kind: 'integer',
    unit: MS,
    hint: 'How often the extension tells the server it is still listening.',
  },
  heartbeatTimeoutMs: {
    label: 'Connection lost after no heartbeat for',
    kind: 'integer',
    unit: MS,
    hint: 'With no word from the extension this long, the session counts as disconnected.',
  },
  maxRestarts: {
    label: 'Microphone restarts allowed',
    kind: 'integer',
    unit: 'restarts',
    hint: 'After this many capture errors within the restart window, the session gives up.',
  },
  restartWindowMs: {
    label: 'Restart window',
    kind: 'integer',
    unit: MS,
    hint: 'The span of time over which restarts are counted.',
  },
  sessionTtlMs: {
    label: 'Keep a disconnected session for',
    kind: 'integer',
    unit: MS,
    hint: 'The extension can pick up a session where it left off within this time.',
  },
  startThreshold: {
    label: 'Speech starts at',
    kind: 'decimal',
    unit: 'probability, 0 to 1',
    hint: 'How sure the voice detector must be that you speak before a note starts. Higher ignores more background sound.',
  },
  endThreshold: {
    label: 'Speech ends below',
    kind: 'decimal',
    unit: 'probability, 0 to 1',
    hint: 'Speech ends when the detector’s certainty drops below this.',
  },
  minSilenceMs: {
    label: 'Silence that ends speech',
    kind: 'integer',
    unit: MS,
    hint: 'A pause shorter than this does not end the utterance.',
  },
  preRollMs: {
    label: 'Audio kept from before speech',
    kind: 'integer',
    unit: MS,
    hint: 'So the first word is not cut off.',
  },
  minConfidence: {
    label: 'Lowest confidence kept',
    kind: 'decimal',
    unit: '0 to 1',
    hint: 'Notes the structurer is less sure of than this are hidden (suppressed, not lost). Below 0.25 they are always hidden.',
  },
  transcriptionMode: {
    label: 'Where speech becomes text',
    kind: 'choice',
    options: [
      ['ON_DEVICE', 'On the device, in the browser (nothing leaves the computer)'],
      ['ENDPOINT', 'At an OpenAI-compatible transcription endpoint'],
    ],
    hint: 'Every device you use follows this choice.',
  },
  transcriptionEndpoint: {
    label: 'Endpoint address',
    kind: 'text',
    inputMode: 'url',
    nullable: true,
    hint: 'The base URL of an OpenAI-compatible API, such as https://api.example.com/v1 (requests go to …/audio/transcriptions). Needed for the endpoint choice; leave empty for none. An API key, if the endpoint needs one, stays on each device.',
  },
  transcriptionModel: {
    label: 'Transcription model',
    kind: 'text',
    hint: 'The model name, on the device or at the endpoint, such as whisper-base.en.',
  },
  preferredProtocolVersion: {
    label: 'Protocol version',
    kind: 'integer',
    hint: '2: the server runs voice sessions (recommended). 1: the extension runs its own voice loop and only sends transcripts.',
  },
} as const satisfies Record<SettingName, FieldSpec>;

export interface Section {
  title: string;
  description: string;
  fields: readonly SettingName[];
}

export const SECTIONS: readonly Section[] = [
  {
    title: 'Voice session timers',
    description: 'How a voice session waits, pauses the video and recovers.',
    fields: [
      'autoPauseVideo',
      'autoResumeDelayMs',
      'cooldownMs',
      'mergeWithinMs',
      'minSpeechMs',
      'maxSpeechMs',
      'idleStopMs',
      'heartbeatIntervalMs',
      'heartbeatTimeoutMs',
      'maxRestarts',
      'restartWindowMs',
      'sessionTtlMs',
    ],
  },
  {
    title: 'Voice detection',
    description: 'When the extension decides that you are speaking.',
    fields: ['startThreshold', 'endThreshold', 'minSilenceMs', 'preRollMs'],
  },
  {
    title: 'Transcription',
    description: 'How your devices turn speech into text.',
    fields: ['transcriptionMode', 'transcriptionEndpoint', 'transcriptionModel'],
  },
  {
    title: 'Notes',
    description: 'Which notes are kept.',
    fields: ['minConfidence'],
  },
  {
    title: 'Protocol',
    description: 'How the extension and the server share the work.',
    fields: ['preferredProtocolVersion'],
  },
];

export const SETTING_NAMES = Object.keys(FIELDS) as SettingName[];

export function isSettingName(name: string): name is SettingName {
  return Object.hasOwn(FIELDS, name);
}
