/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type AckOutcome =
  | 'APPLIED'
  | 'DUPLICATE'
  | 'IGNORED'
  | 'RESET';

export type ClaimVideoContextInput = {
  /** The page the video plays on. */
  currentUrl: string;
  pageInstanceId: string;
  tabId: number;
  /** One of the caller's videos (from `detectVideo`). */
  videoId: string | number;
};

export type CreateNoteInput = {
  /** Defaults to what the structurer reads in the text. */
  category?: NoteCategory | null | undefined;
  endSeconds?: number | null | undefined;
  text: string;
  timestampSeconds: number;
  videoId: string | number;
};

export type DetectVideoInput = {
  durationSeconds?: number | null | undefined;
  pageInstanceId?: string | null | undefined;
  tabId?: number | null | undefined;
  title?: string | null | undefined;
  /** The page's URL. */
  url: string;
};

/**
 * What the client last knew of the session. A `sessionId` other than the resumed session's,
 * or a `seq` beyond what the server applied, answers `RESET`: the client adopts the snapshot
 * rather than replaying from a buffer that does not fit.
 */
export type LastKnownStateInput = {
  lastEventAt?: string | null | undefined;
  seq: number;
  sessionId: string | number;
  state: VoiceState;
};

/** The eight note categories of PROTOCOL.md section 6. */
export type NoteCategory =
  /** Sound, music, dialogue levels, noise ("too loud", "music drowns her"). */
  | 'AUDIO'
  /** Grading, colour balance, exposure in the grade ("too warm", "skin tones"). */
  | 'COLOR'
  /** Story, script, facts, claims, names ("that date is wrong", "cut this line"). */
  | 'CONTENT'
  /** Cuts, transitions, shot order, trims ("jump cut", "cut earlier"). */
  | 'EDITING'
  /** Anything else. */
  | 'GENERAL'
  /** Titles, captions, lower thirds, on-screen text, logos ("typo in the title"). */
  | 'GRAPHICS'
  /** Rhythm, speed, length of shots and scenes ("drags", "too slow", "tighten"). */
  | 'PACING'
  /** Framing, composition, focus, lighting, camera ("reframe", "out of focus"). */
  | 'VISUAL';

export type NoteFilterInput = {
  categories?: Array<NoteCategory> | null | undefined;
  /** Adds deleted notes. */
  includeDeleted?: boolean;
  /** Adds suppressed notes to the statuses listed. */
  includeSuppressed?: boolean;
  minConfidence?: number | null | undefined;
  /** Only these statuses (default: every status but `SUPPRESSED` and `CANCELLED`). */
  statuses?: Array<NoteStatus> | null | undefined;
};

export type NoteStatus =
  /** The reviewer took the utterance back. */
  | 'CANCELLED'
  | 'FAILED'
  /** Kept by the reviewer. */
  | 'FIRMED'
  /** New, not yet looked at. */
  | 'GHOST'
  /** Posting needs the reviewer (a login, a permission). */
  | 'NEEDS_INTERVENTION'
  | 'POSTED'
  | 'POSTING'
  /** Waiting to be posted to the video's platform. */
  | 'QUEUED'
  /** Dealt with. */
  | 'RESOLVED'
  /** Hidden by the quality gate; kept with its reason and shown on request. */
  | 'SUPPRESSED';

export type ResumeVoiceSessionInput = {
  events?: Array<VoiceEventInput>;
  lastKnownState?: LastKnownStateInput | null | undefined;
  sessionId: string | number;
};

export type SpeechEndReason =
  | 'FORCED_END'
  | 'MAX_DURATION'
  | 'NATURAL_END'
  | 'PUSH_TO_TALK_RELEASE'
  | 'STUCK_STATE';

export type StartVoiceSessionInput = {
  pageInstanceId: string;
  /** Wake this idle session instead of starting a new one. */
  resumeSessionId?: string | number | null | undefined;
  tabId: number;
  videoId?: string | number | null | undefined;
};

export type SubmitTranscriptInput = {
  /** The recognizer's confidence in 0..1. */
  confidence?: number | null | undefined;
  /** How long the utterance lasted (the client's VAD). */
  durationMs?: number;
  /** The playhead when the reviewer started speaking, in seconds. */
  mediaTime: number;
  /**
   * The voice session that heard it (protocol v2); it must be the caller's and must have
   * heard `utteranceId`.
   */
  sessionId?: string | number | null | undefined;
  /** Which recognizer produced the text (free text, e.g. `web-speech`, `whisper-tiny`). */
  source?: string | null | undefined;
  text: string;
  /** The client's id for the utterance: the same id always answers the same note. */
  utteranceId: string;
  videoId: string | number;
  /** Word timings from the recognizer; accepted for clients that send them, not stored. */
  words?: unknown;
};

/** One event a client reports. */
export type TelemetryEventInput = {
  /** The client's version, e.g. `1.4.0`. */
  clientVersion?: string | null | undefined;
  /**
   * Made by the client, unique among its events (1 to 128 characters); a resent event
   * with the same id is counted once.
   */
  eventId: string;
  level: TelemetryLevel;
  /** 1 to 128 of `a-z 0-9 _ . : -`, e.g. `vad.model_loaded`. */
  name: string;
  /** At most 24 hours ahead of the server's clock. */
  occurredAt: string;
  /** A JSON object of at most 16 KiB; absent means `{}`. */
  properties?: unknown;
  /** The voice session the event belongs to, if any. */
  sessionId?: string | number | null | undefined;
};

/** How much an event matters. */
export type TelemetryLevel =
  | 'DEBUG'
  | 'ERROR'
  | 'INFO'
  | 'WARN';

/** Where the user's devices turn speech into text. */
export type TranscriptionMode =
  /**
   * By the OpenAI-compatible API at `transcriptionEndpoint`, called from the device (which
   * keeps the API key, if one is needed).
   */
  | 'ENDPOINT'
  /** In the browser, on the device that hears the speech. */
  | 'ON_DEVICE';

export type UpdateNoteInput = {
  category?: NoteCategory | null | undefined;
  id: string | number;
  status?: NoteStatus | null | undefined;
  text?: string | null | undefined;
  /** The version the client last saw; a stale one is refused with `CONFLICT`. */
  version: number;
};

/** Changes to some of the caller's settings. */
export type UpdateSettingsInput = {
  /** New `autoPauseVideo`; omit to keep it. */
  autoPauseVideo?: boolean | null | undefined;
  /** New `autoResumeDelayMs`; omit to keep it. Allowed: 0 to 10000. */
  autoResumeDelayMs?: number | null | undefined;
  /**
   * New `clientPreferences`; omit to keep it.
   * A JSON object of at most 16384 bytes.
   */
  clientPreferences?: unknown;
  /** New `cooldownMs`; omit to keep it. Allowed: 0 to 10000. */
  cooldownMs?: number | null | undefined;
  /** New `endThreshold`; omit to keep it. Allowed: 0.0 to 1.0. */
  endThreshold?: number | null | undefined;
  /** Write only if the stored settings still have this version (`CONFLICT` otherwise). */
  expectedVersion?: number | null | undefined;
  /** New `heartbeatIntervalMs`; omit to keep it. Allowed: 1000 to 60000. */
  heartbeatIntervalMs?: number | null | undefined;
  /** New `heartbeatTimeoutMs`; omit to keep it. Allowed: 2000 to 300000. */
  heartbeatTimeoutMs?: number | null | undefined;
  /** New `idleStopMs`; omit to keep it. Allowed: 10000 to 3600000. */
  idleStopMs?: number | null | undefined;
  /** New `maxRestarts`; omit to keep it. Allowed: 0 to 20. */
  maxRestarts?: number | null | undefined;
  /** New `maxSpeechMs`; omit to keep it. Allowed: 1000 to 120000. */
  maxSpeechMs?: number | null | undefined;
  /** New `mergeWithinMs`; omit to keep it. Allowed: 0 to 5000. */
  mergeWithinMs?: number | null | undefined;
  /** New `minConfidence`; omit to keep it. Allowed: 0.0 to 1.0. */
  minConfidence?: number | null | undefined;
  /** New `minSilenceMs`; omit to keep it. Allowed: 0 to 5000. */
  minSilenceMs?: number | null | undefined;
  /** New `minSpeechMs`; omit to keep it. Allowed: 0 to 5000. */
  minSpeechMs?: number | null | undefined;
  /** New `preRollMs`; omit to keep it. Allowed: 0 to 2000. */
  preRollMs?: number | null | undefined;
  /** New `preferredProtocolVersion`; omit to keep it. Allowed: 1 to 2. */
  preferredProtocolVersion?: number | null | undefined;
  /** New `restartWindowMs`; omit to keep it. Allowed: 1000 to 3600000. */
  restartWindowMs?: number | null | undefined;
  /** New `sessionTtlMs`; omit to keep it. Allowed: 60000 to 86400000. */
  sessionTtlMs?: number | null | undefined;
  /** New `startThreshold`; omit to keep it. Allowed: 0.0 to 1.0. */
  startThreshold?: number | null | undefined;
  /**
   * New `transcriptionEndpoint`; omit to keep it, null to clear it.
   * An absolute http or https URL of at most 500 characters, without credentials;
   * needed while `transcriptionMode` is `ENDPOINT`.
   */
  transcriptionEndpoint?: string | null | undefined;
  /**
   * New `transcriptionMode`; omit to keep it.
   * `ENDPOINT` needs a `transcriptionEndpoint`, stored or given in the same update.
   */
  transcriptionMode?: TranscriptionMode | null | undefined;
  /**
   * New `transcriptionModel`; omit to keep it.
   * Trimmed; 1 to 100 characters.
   */
  transcriptionModel?: string | null | undefined;
};

export type VideoContextEventKind =
  | 'CONTEXT_AVAILABLE'
  | 'CONTEXT_CLEARED'
  | 'CONTEXT_TAKEN'
  | 'CONTEXT_UPDATED';

export type VoiceCommand =
  | 'PAUSE_VIDEO'
  | 'RESET_SESSION'
  | 'RESTART_CAPTURE'
  | 'RESUME_VIDEO'
  | 'STOP_CAPTURE'
  | 'STOP_UTTERANCE';

export type VoiceEventInput = {
  durationMs?: number | null | undefined;
  kind: VoiceEventKind;
  /** Seconds: the playhead when speech began. */
  mediaTime?: number | null | undefined;
  message?: string | null | undefined;
  occurredAt: string;
  reason?: SpeechEndReason | null | undefined;
  seq: number;
  sessionId: string | number;
  utteranceId?: string | null | undefined;
  videoPlaying?: boolean | null | undefined;
};

export type VoiceEventKind =
  | 'ERROR'
  | 'HEARTBEAT'
  | 'SPEECH_END'
  | 'SPEECH_START';

export type VoiceMetricsInput = {
  frames: number;
  latencyMs: number;
  maxSpeechProbability: number;
  meanSpeechProbability: number;
  sessionId: string | number;
};

export type VoiceState =
  | 'CLOSED'
  | 'COOLDOWN'
  | 'DISCONNECTED'
  | 'ERROR'
  | 'IDLE'
  | 'OBSERVING'
  | 'RECONNECTING'
  | 'RECORDING';

export type WorkerNoteFragment = { id: string, videoId: string, text: string, category: NoteCategory, status: NoteStatus, timestampSeconds: number, version: number, structurer: string, createdAt: string, deletedAt: string | null };

export type WorkerCreateNoteMutationVariables = Exact<{
  input: CreateNoteInput;
}>;


export type WorkerCreateNoteMutation = { createNote: { id: string, videoId: string, text: string, category: NoteCategory, status: NoteStatus, timestampSeconds: number, version: number, structurer: string, createdAt: string, deletedAt: string | null } };

export type WorkerUpdateNoteMutationVariables = Exact<{
  input: UpdateNoteInput;
}>;


export type WorkerUpdateNoteMutation = { updateNote: { id: string, videoId: string, text: string, category: NoteCategory, status: NoteStatus, timestampSeconds: number, version: number, structurer: string, createdAt: string, deletedAt: string | null } };

export type WorkerDeleteNoteMutationVariables = Exact<{
  id: string | number;
  reason?: string | null | undefined;
}>;


export type WorkerDeleteNoteMutation = { deleteNote: { id: string, videoId: string, text: string, category: NoteCategory, status: NoteStatus, timestampSeconds: number, version: number, structurer: string, createdAt: string, deletedAt: string | null } };

export type WorkerRestoreNoteMutationVariables = Exact<{
  id: string | number;
}>;


export type WorkerRestoreNoteMutation = { restoreNote: { id: string, videoId: string, text: string, category: NoteCategory, status: NoteStatus, timestampSeconds: number, version: number, structurer: string, createdAt: string, deletedAt: string | null } };

export type WorkerUpdateSettingsMutationVariables = Exact<{
  input: UpdateSettingsInput;
}>;


export type WorkerUpdateSettingsMutation = { updateSettings: { version: number } };

export type WorkerIngestTelemetryMutationVariables = Exact<{
  events: Array<TelemetryEventInput> | TelemetryEventInput;
}>;


export type WorkerIngestTelemetryMutation = { ingestTelemetry: { accepted: Array<string>, duplicates: Array<string> } };

export type WorkerNoteByIdQueryVariables = Exact<{
  id: string | number;
}>;


export type WorkerNoteByIdQuery = { note: { id: string, videoId: string, text: string, category: NoteCategory, status: NoteStatus, timestampSeconds: number, version: number, structurer: string, createdAt: string, deletedAt: string | null } };

export type WorkerNotesQueryVariables = Exact<{
  videoId: string | number;
  after?: string | null | undefined;
  filter?: NoteFilterInput | null | undefined;
}>;


export type WorkerNotesQuery = { notes: { edges: Array<{ node: { id: string, videoId: string, text: string, category: NoteCategory, status: NoteStatus, timestampSeconds: number, version: number, structurer: string, createdAt: string, deletedAt: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type WorkerMarkerNotesQueryVariables = Exact<{
  videoId: string | number;
  after?: string | null | undefined;
}>;


export type WorkerMarkerNotesQuery = { notes: { offset: string, nodes: Array<{ id: string, videoId: string, text: string, category: NoteCategory, status: NoteStatus, timestampSeconds: number, version: number, structurer: string, createdAt: string, deletedAt: string | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type WorkerNoteEventsSubscriptionVariables = Exact<{
  videoId: string | number;
  since?: string | null | undefined;
}>;


export type WorkerNoteEventsSubscription = { noteEvents:
    | { __typename: 'NoteCreated', offset: string, note: { id: string, videoId: string, text: string, category: NoteCategory, status: NoteStatus, timestampSeconds: number, version: number, structurer: string, createdAt: string, deletedAt: string | null } }
    | { __typename: 'NoteDeleted', offset: string, noteId: string, videoId: string }
    | { __typename: 'NoteUpdated', offset: string, note: { id: string, videoId: string, text: string, category: NoteCategory, status: NoteStatus, timestampSeconds: number, version: number, structurer: string, createdAt: string, deletedAt: string | null } }
    | { __typename: 'VideoSummaryUpdated', offset: string }
   };

export type WorkerDetectVideoMutationVariables = Exact<{
  input: DetectVideoInput;
}>;


export type WorkerDetectVideoMutation = { detectVideo: { id: string, platform: string, externalId: string, title: string | null } };

export type WorkerClaimVideoContextMutationVariables = Exact<{
  input: ClaimVideoContextInput;
}>;


export type WorkerClaimVideoContextMutation = { claimVideoContext: { video: { id: string }, owner: { deviceId: string, tabId: number, pageInstanceId: string } | null } };

export type WorkerVideoContextFragment = { video: { id: string }, owner: { deviceId: string, tabId: number, pageInstanceId: string } | null };

export type WorkerVideoContextEventsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type WorkerVideoContextEventsSubscription = { videoContextEvents: { kind: VideoContextEventKind, context: { video: { id: string }, owner: { deviceId: string, tabId: number, pageInstanceId: string } | null } | null } };

export type WorkerFeaturesChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type WorkerFeaturesChangedSubscription = { featuresChanged: unknown };

export type WorkerMeQueryVariables = Exact<{ [key: string]: never; }>;


export type WorkerMeQuery = { me: { email: string } };

export type WorkerSubmitTranscriptMutationVariables = Exact<{
  input: SubmitTranscriptInput;
}>;


export type WorkerSubmitTranscriptMutation = { submitTranscript: { id: string, videoId: string, text: string, category: NoteCategory, status: NoteStatus, timestampSeconds: number, version: number, structurer: string, createdAt: string, deletedAt: string | null } };

export type WorkerVoiceSessionFragment = { id: string, state: VoiceState, videoId: string | null, tabId: number, pageInstanceId: string, lastAppliedSeq: number, endedAt: string | null, endReason: string | null };

export type WorkerStartVoiceSessionMutationVariables = Exact<{
  input: StartVoiceSessionInput;
}>;


export type WorkerStartVoiceSessionMutation = { startVoiceSession: { id: string, state: VoiceState, videoId: string | null, tabId: number, pageInstanceId: string, lastAppliedSeq: number, endedAt: string | null, endReason: string | null } };

export type WorkerVoiceEventMutationVariables = Exact<{
  input: VoiceEventInput;
}>;


export type WorkerVoiceEventMutation = { voiceEvent: { sessionId: string, appliedSeq: number, state: VoiceState, outcome: AckOutcome, reason: string | null } };

export type WorkerResumeVoiceSessionMutationVariables = Exact<{
  input: ResumeVoiceSessionInput;
}>;


export type WorkerResumeVoiceSessionMutation = { resumeVoiceSession: { outcome: AckOutcome, reason: string | null, state: VoiceState, appliedSeq: number, snapshot: { id: string, state: VoiceState, videoId: string | null, tabId: number, pageInstanceId: string, lastAppliedSeq: number, endedAt: string | null, endReason: string | null } } };

export type WorkerStopVoiceSessionMutationVariables = Exact<{
  sessionId: string | number;
}>;


export type WorkerStopVoiceSessionMutation = { stopVoiceSession: { id: string, state: VoiceState, videoId: string | null, tabId: number, pageInstanceId: string, lastAppliedSeq: number, endedAt: string | null, endReason: string | null } };

export type WorkerReportVoiceMetricsMutationVariables = Exact<{
  input: VoiceMetricsInput;
}>;


export type WorkerReportVoiceMetricsMutation = { reportVoiceMetrics: boolean };

export type WorkerVoiceStatusSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type WorkerVoiceStatusSubscription = { voiceStatus: { sessionId: string, state: VoiceState, previousState: VoiceState | null, cause: string, seq: number, command: VoiceCommand | null, commandReason: string | null, restartBackoffMs: number | null } };

export type WorkerSettingsChangedSubscriptionVariables = Exact<{
  since?: number | null | undefined;
}>;


export type WorkerSettingsChangedSubscription = { settingsChanged: { version: number, cooldownMs: number, mergeWithinMs: number, minSpeechMs: number, maxSpeechMs: number, autoPauseVideo: boolean, autoResumeDelayMs: number, idleStopMs: number, heartbeatIntervalMs: number, heartbeatTimeoutMs: number, maxRestarts: number, restartWindowMs: number, sessionTtlMs: number, startThreshold: number, endThreshold: number, minSilenceMs: number, preRollMs: number, preferredProtocolVersion: number, transcriptionMode: TranscriptionMode, transcriptionEndpoint: string | null, transcriptionModel: string } };

export type PanelNoteFragment = { id: string, videoId: string, text: string, category: NoteCategory, confidence: number, timestampSeconds: number, status: NoteStatus, version: number, deletedAt: string | null };

export type PanelNotesQueryVariables = Exact<{
  videoId: string | number;
  first: number;
  after?: string | null | undefined;
}>;


export type PanelNotesQuery = { notes: { offset: string, nodes: Array<{ id: string, videoId: string, text: string, category: NoteCategory, confidence: number, timestampSeconds: number, status: NoteStatus, version: number, deletedAt: string | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type PanelNoteEventsSubscriptionVariables = Exact<{
  videoId: string | number;
  since?: string | null | undefined;
}>;


export type PanelNoteEventsSubscription = { noteEvents:
    | { __typename: 'NoteCreated', offset: string, note: { id: string, videoId: string, text: string, category: NoteCategory, confidence: number, timestampSeconds: number, status: NoteStatus, version: number, deletedAt: string | null } }
    | { __typename: 'NoteDeleted', offset: string, noteId: string, videoId: string }
    | { __typename: 'NoteUpdated', offset: string, note: { id: string, videoId: string, text: string, category: NoteCategory, confidence: number, timestampSeconds: number, status: NoteStatus, version: number, deletedAt: string | null } }
    | { __typename: 'VideoSummaryUpdated', offset: string }
   };

export type PanelSettingsFragment = { minConfidence: number, autoPauseVideo: boolean, autoResumeDelayMs: number, cooldownMs: number, transcriptionMode: TranscriptionMode, transcriptionEndpoint: string | null, transcriptionModel: string, version: number };

export type PanelSettingsQueryVariables = Exact<{ [key: string]: never; }>;


export type PanelSettingsQuery = { settings: { minConfidence: number, autoPauseVideo: boolean, autoResumeDelayMs: number, cooldownMs: number, transcriptionMode: TranscriptionMode, transcriptionEndpoint: string | null, transcriptionModel: string, version: number } };

export type PanelSettingsChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type PanelSettingsChangedSubscription = { settingsChanged: { minConfidence: number, autoPauseVideo: boolean, autoResumeDelayMs: number, cooldownMs: number, transcriptionMode: TranscriptionMode, transcriptionEndpoint: string | null, transcriptionModel: string, version: number } };

export const WorkerNoteFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerNote"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Note"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"videoId"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"timestampSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"structurer"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"deletedAt"}}]}}]} as unknown as DocumentNode<WorkerNoteFragment, unknown>;
export const WorkerVideoContextFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerVideoContext"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"VideoContext"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"video"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"tabId"}},{"kind":"Field","name":{"kind":"Name","value":"pageInstanceId"}}]}}]}}]} as unknown as DocumentNode<WorkerVideoContextFragment, unknown>;
export const WorkerVoiceSessionFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerVoiceSession"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"VoiceSession"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"videoId"}},{"kind":"Field","name":{"kind":"Name","value":"tabId"}},{"kind":"Field","name":{"kind":"Name","value":"pageInstanceId"}},{"kind":"Field","name":{"kind":"Name","value":"lastAppliedSeq"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endReason"}}]}}]} as unknown as DocumentNode<WorkerVoiceSessionFragment, unknown>;
export const PanelNoteFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PanelNote"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Note"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"videoId"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"confidence"}},{"kind":"Field","name":{"kind":"Name","value":"timestampSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"deletedAt"}}]}}]} as unknown as DocumentNode<PanelNoteFragment, unknown>;
export const PanelSettingsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PanelSettings"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserSettings"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"minConfidence"}},{"kind":"Field","name":{"kind":"Name","value":"autoPauseVideo"}},{"kind":"Field","name":{"kind":"Name","value":"autoResumeDelayMs"}},{"kind":"Field","name":{"kind":"Name","value":"cooldownMs"}},{"kind":"Field","name":{"kind":"Name","value":"transcriptionMode"}},{"kind":"Field","name":{"kind":"Name","value":"transcriptionEndpoint"}},{"kind":"Field","name":{"kind":"Name","value":"transcriptionModel"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]} as unknown as DocumentNode<PanelSettingsFragment, unknown>;
export const WorkerCreateNoteDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WorkerCreateNote"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateNoteInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createNote"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerNote"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerNote"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Note"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"videoId"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"timestampSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"structurer"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"deletedAt"}}]}}]} as unknown as DocumentNode<WorkerCreateNoteMutation, WorkerCreateNoteMutationVariables>;
export const WorkerUpdateNoteDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WorkerUpdateNote"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateNoteInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateNote"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerNote"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerNote"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Note"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"videoId"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"timestampSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"structurer"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"deletedAt"}}]}}]} as unknown as DocumentNode<WorkerUpdateNoteMutation, WorkerUpdateNoteMutationVariables>;
export const WorkerDeleteNoteDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WorkerDeleteNote"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"reason"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteNote"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"reason"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reason"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerNote"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerNote"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Note"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"videoId"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"timestampSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"structurer"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"deletedAt"}}]}}]} as unknown as DocumentNode<WorkerDeleteNoteMutation, WorkerDeleteNoteMutationVariables>;
export const WorkerRestoreNoteDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WorkerRestoreNote"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoreNote"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerNote"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerNote"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Note"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"videoId"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"timestampSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"structurer"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"deletedAt"}}]}}]} as unknown as DocumentNode<WorkerRestoreNoteMutation, WorkerRestoreNoteMutationVariables>;
export const WorkerUpdateSettingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WorkerUpdateSettings"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateSettingsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateSettings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]} as unknown as DocumentNode<WorkerUpdateSettingsMutation, WorkerUpdateSettingsMutationVariables>;
export const WorkerIngestTelemetryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WorkerIngestTelemetry"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"events"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"TelemetryEventInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ingestTelemetry"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"events"},"value":{"kind":"Variable","name":{"kind":"Name","value":"events"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accepted"}},{"kind":"Field","name":{"kind":"Name","value":"duplicates"}}]}}]}}]} as unknown as DocumentNode<WorkerIngestTelemetryMutation, WorkerIngestTelemetryMutationVariables>;
export const WorkerNoteByIdDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WorkerNoteById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"note"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerNote"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerNote"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Note"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"videoId"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"timestampSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"structurer"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"deletedAt"}}]}}]} as unknown as DocumentNode<WorkerNoteByIdQuery, WorkerNoteByIdQueryVariables>;
export const WorkerNotesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WorkerNotes"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"videoId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"NoteFilterInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"notes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"videoId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"videoId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerNote"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerNote"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Note"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"videoId"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"timestampSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"structurer"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"deletedAt"}}]}}]} as unknown as DocumentNode<WorkerNotesQuery, WorkerNotesQueryVariables>;
export const WorkerMarkerNotesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WorkerMarkerNotes"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"videoId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"notes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"videoId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"videoId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"statuses"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"GHOST"},{"kind":"EnumValue","value":"FIRMED"},{"kind":"EnumValue","value":"RESOLVED"},{"kind":"EnumValue","value":"SUPPRESSED"},{"kind":"EnumValue","value":"CANCELLED"},{"kind":"EnumValue","value":"QUEUED"},{"kind":"EnumValue","value":"POSTING"},{"kind":"EnumValue","value":"POSTED"},{"kind":"EnumValue","value":"FAILED"},{"kind":"EnumValue","value":"NEEDS_INTERVENTION"}]}},{"kind":"ObjectField","name":{"kind":"Name","value":"includeSuppressed"},"value":{"kind":"BooleanValue","value":true}},{"kind":"ObjectField","name":{"kind":"Name","value":"includeDeleted"},"value":{"kind":"BooleanValue","value":true}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerNote"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"offset"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerNote"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Note"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"videoId"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"timestampSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"structurer"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"deletedAt"}}]}}]} as unknown as DocumentNode<WorkerMarkerNotesQuery, WorkerMarkerNotesQueryVariables>;
export const WorkerNoteEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"WorkerNoteEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"videoId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"since"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"noteEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"videoId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"videoId"}}},{"kind":"Argument","name":{"kind":"Name","value":"since"},"value":{"kind":"Variable","name":{"kind":"Name","value":"since"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"NoteCreated"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"offset"}},{"kind":"Field","name":{"kind":"Name","value":"note"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerNote"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"NoteUpdated"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"offset"}},{"kind":"Field","name":{"kind":"Name","value":"note"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerNote"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"NoteDeleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"offset"}},{"kind":"Field","name":{"kind":"Name","value":"noteId"}},{"kind":"Field","name":{"kind":"Name","value":"videoId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"VideoSummaryUpdated"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"offset"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerNote"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Note"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"videoId"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"timestampSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"structurer"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"deletedAt"}}]}}]} as unknown as DocumentNode<WorkerNoteEventsSubscription, WorkerNoteEventsSubscriptionVariables>;
export const WorkerDetectVideoDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WorkerDetectVideo"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DetectVideoInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"detectVideo"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"platform"}},{"kind":"Field","name":{"kind":"Name","value":"externalId"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}}]}}]} as unknown as DocumentNode<WorkerDetectVideoMutation, WorkerDetectVideoMutationVariables>;
export const WorkerClaimVideoContextDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WorkerClaimVideoContext"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ClaimVideoContextInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"claimVideoContext"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerVideoContext"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerVideoContext"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"VideoContext"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"video"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"tabId"}},{"kind":"Field","name":{"kind":"Name","value":"pageInstanceId"}}]}}]}}]} as unknown as DocumentNode<WorkerClaimVideoContextMutation, WorkerClaimVideoContextMutationVariables>;
export const WorkerVideoContextEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"WorkerVideoContextEvents"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"videoContextEvents"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"context"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerVideoContext"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerVideoContext"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"VideoContext"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"video"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"tabId"}},{"kind":"Field","name":{"kind":"Name","value":"pageInstanceId"}}]}}]}}]} as unknown as DocumentNode<WorkerVideoContextEventsSubscription, WorkerVideoContextEventsSubscriptionVariables>;
export const WorkerFeaturesChangedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"WorkerFeaturesChanged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"featuresChanged"}}]}}]} as unknown as DocumentNode<WorkerFeaturesChangedSubscription, WorkerFeaturesChangedSubscriptionVariables>;
export const WorkerMeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WorkerMe"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]} as unknown as DocumentNode<WorkerMeQuery, WorkerMeQueryVariables>;
export const WorkerSubmitTranscriptDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WorkerSubmitTranscript"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SubmitTranscriptInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"submitTranscript"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerNote"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerNote"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Note"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"videoId"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"timestampSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"structurer"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"deletedAt"}}]}}]} as unknown as DocumentNode<WorkerSubmitTranscriptMutation, WorkerSubmitTranscriptMutationVariables>;
export const WorkerStartVoiceSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WorkerStartVoiceSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"StartVoiceSessionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startVoiceSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerVoiceSession"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerVoiceSession"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"VoiceSession"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"videoId"}},{"kind":"Field","name":{"kind":"Name","value":"tabId"}},{"kind":"Field","name":{"kind":"Name","value":"pageInstanceId"}},{"kind":"Field","name":{"kind":"Name","value":"lastAppliedSeq"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endReason"}}]}}]} as unknown as DocumentNode<WorkerStartVoiceSessionMutation, WorkerStartVoiceSessionMutationVariables>;
export const WorkerVoiceEventDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WorkerVoiceEvent"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"VoiceEventInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"voiceEvent"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"appliedSeq"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]}}]} as unknown as DocumentNode<WorkerVoiceEventMutation, WorkerVoiceEventMutationVariables>;
export const WorkerResumeVoiceSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WorkerResumeVoiceSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ResumeVoiceSessionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resumeVoiceSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"appliedSeq"}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerVoiceSession"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerVoiceSession"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"VoiceSession"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"videoId"}},{"kind":"Field","name":{"kind":"Name","value":"tabId"}},{"kind":"Field","name":{"kind":"Name","value":"pageInstanceId"}},{"kind":"Field","name":{"kind":"Name","value":"lastAppliedSeq"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endReason"}}]}}]} as unknown as DocumentNode<WorkerResumeVoiceSessionMutation, WorkerResumeVoiceSessionMutationVariables>;
export const WorkerStopVoiceSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WorkerStopVoiceSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stopVoiceSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"sessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkerVoiceSession"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkerVoiceSession"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"VoiceSession"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"videoId"}},{"kind":"Field","name":{"kind":"Name","value":"tabId"}},{"kind":"Field","name":{"kind":"Name","value":"pageInstanceId"}},{"kind":"Field","name":{"kind":"Name","value":"lastAppliedSeq"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endReason"}}]}}]} as unknown as DocumentNode<WorkerStopVoiceSessionMutation, WorkerStopVoiceSessionMutationVariables>;
export const WorkerReportVoiceMetricsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WorkerReportVoiceMetrics"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"VoiceMetricsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reportVoiceMetrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}]}]}}]} as unknown as DocumentNode<WorkerReportVoiceMetricsMutation, WorkerReportVoiceMetricsMutationVariables>;
export const WorkerVoiceStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"WorkerVoiceStatus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"voiceStatus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"previousState"}},{"kind":"Field","name":{"kind":"Name","value":"cause"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"command"}},{"kind":"Field","name":{"kind":"Name","value":"commandReason"}},{"kind":"Field","name":{"kind":"Name","value":"restartBackoffMs"}}]}}]}}]} as unknown as DocumentNode<WorkerVoiceStatusSubscription, WorkerVoiceStatusSubscriptionVariables>;
export const WorkerSettingsChangedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"WorkerSettingsChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"since"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"settingsChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"since"},"value":{"kind":"Variable","name":{"kind":"Name","value":"since"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"cooldownMs"}},{"kind":"Field","name":{"kind":"Name","value":"mergeWithinMs"}},{"kind":"Field","name":{"kind":"Name","value":"minSpeechMs"}},{"kind":"Field","name":{"kind":"Name","value":"maxSpeechMs"}},{"kind":"Field","name":{"kind":"Name","value":"autoPauseVideo"}},{"kind":"Field","name":{"kind":"Name","value":"autoResumeDelayMs"}},{"kind":"Field","name":{"kind":"Name","value":"idleStopMs"}},{"kind":"Field","name":{"kind":"Name","value":"heartbeatIntervalMs"}},{"kind":"Field","name":{"kind":"Name","value":"heartbeatTimeoutMs"}},{"kind":"Field","name":{"kind":"Name","value":"maxRestarts"}},{"kind":"Field","name":{"kind":"Name","value":"restartWindowMs"}},{"kind":"Field","name":{"kind":"Name","value":"sessionTtlMs"}},{"kind":"Field","name":{"kind":"Name","value":"startThreshold"}},{"kind":"Field","name":{"kind":"Name","value":"endThreshold"}},{"kind":"Field","name":{"kind":"Name","value":"minSilenceMs"}},{"kind":"Field","name":{"kind":"Name","value":"preRollMs"}},{"kind":"Field","name":{"kind":"Name","value":"preferredProtocolVersion"}},{"kind":"Field","name":{"kind":"Name","value":"transcriptionMode"}},{"kind":"Field","name":{"kind":"Name","value":"transcriptionEndpoint"}},{"kind":"Field","name":{"kind":"Name","value":"transcriptionModel"}}]}}]}}]} as unknown as DocumentNode<WorkerSettingsChangedSubscription, WorkerSettingsChangedSubscriptionVariables>;
export const PanelNotesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PanelNotes"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"videoId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"notes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"videoId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"videoId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"statuses"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"GHOST"},{"kind":"EnumValue","value":"FIRMED"},{"kind":"EnumValue","value":"RESOLVED"},{"kind":"EnumValue","value":"SUPPRESSED"},{"kind":"EnumValue","value":"CANCELLED"},{"kind":"EnumValue","value":"QUEUED"},{"kind":"EnumValue","value":"POSTING"},{"kind":"EnumValue","value":"POSTED"},{"kind":"EnumValue","value":"FAILED"},{"kind":"EnumValue","value":"NEEDS_INTERVENTION"}]}},{"kind":"ObjectField","name":{"kind":"Name","value":"includeSuppressed"},"value":{"kind":"BooleanValue","value":true}},{"kind":"ObjectField","name":{"kind":"Name","value":"includeDeleted"},"value":{"kind":"BooleanValue","value":true}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PanelNote"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"offset"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PanelNote"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Note"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"videoId"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"confidence"}},{"kind":"Field","name":{"kind":"Name","value":"timestampSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"deletedAt"}}]}}]} as unknown as DocumentNode<PanelNotesQuery, PanelNotesQueryVariables>;
export const PanelNoteEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"PanelNoteEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"videoId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"since"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"noteEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"videoId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"videoId"}}},{"kind":"Argument","name":{"kind":"Name","value":"since"},"value":{"kind":"Variable","name":{"kind":"Name","value":"since"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"NoteCreated"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"offset"}},{"kind":"Field","name":{"kind":"Name","value":"note"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PanelNote"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"NoteUpdated"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"offset"}},{"kind":"Field","name":{"kind":"Name","value":"note"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PanelNote"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"NoteDeleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"offset"}},{"kind":"Field","name":{"kind":"Name","value":"noteId"}},{"kind":"Field","name":{"kind":"Name","value":"videoId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"VideoSummaryUpdated"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"offset"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PanelNote"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Note"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"videoId"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"confidence"}},{"kind":"Field","name":{"kind":"Name","value":"timestampSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"deletedAt"}}]}}]} as unknown as DocumentNode<PanelNoteEventsSubscription, PanelNoteEventsSubscriptionVariables>;
export const PanelSettingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PanelSettings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"settings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PanelSettings"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PanelSettings"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserSettings"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"minConfidence"}},{"kind":"Field","name":{"kind":"Name","value":"autoPauseVideo"}},{"kind":"Field","name":{"kind":"Name","value":"autoResumeDelayMs"}},{"kind":"Field","name":{"kind":"Name","value":"cooldownMs"}},{"kind":"Field","name":{"kind":"Name","value":"transcriptionMode"}},{"kind":"Field","name":{"kind":"Name","value":"transcriptionEndpoint"}},{"kind":"Field","name":{"kind":"Name","value":"transcriptionModel"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]} as unknown as DocumentNode<PanelSettingsQuery, PanelSettingsQueryVariables>;
export const PanelSettingsChangedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"PanelSettingsChanged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"settingsChanged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PanelSettings"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PanelSettings"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserSettings"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"minConfidence"}},{"kind":"Field","name":{"kind":"Name","value":"autoPauseVideo"}},{"kind":"Field","name":{"kind":"Name","value":"autoResumeDelayMs"}},{"kind":"Field","name":{"kind":"Name","value":"cooldownMs"}},{"kind":"Field","name":{"kind":"Name","value":"transcriptionMode"}},{"kind":"Field","name":{"kind":"Name","value":"transcriptionEndpoint"}},{"kind":"Field","name":{"kind":"Name","value":"transcriptionModel"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]} as unknown as DocumentNode<PanelSettingsChangedSubscription, PanelSettingsChangedSubscriptionVariables>;