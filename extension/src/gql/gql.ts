/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment WorkerNote on Note {\n    id\n    videoId\n    text\n    category\n    status\n    timestampSeconds\n    version\n    structurer\n    createdAt\n    deletedAt\n  }\n": typeof types.WorkerNoteFragmentDoc,
    "\n  mutation WorkerCreateNote($input: CreateNoteInput!) {\n    createNote(input: $input) {\n      ...WorkerNote\n    }\n  }\n": typeof types.WorkerCreateNoteDocument,
    "\n  mutation WorkerUpdateNote($input: UpdateNoteInput!) {\n    updateNote(input: $input) {\n      ...WorkerNote\n    }\n  }\n": typeof types.WorkerUpdateNoteDocument,
    "\n  mutation WorkerDeleteNote($id: ID!, $reason: String) {\n    deleteNote(id: $id, reason: $reason) {\n      ...WorkerNote\n    }\n  }\n": typeof types.WorkerDeleteNoteDocument,
    "\n  mutation WorkerRestoreNote($id: ID!) {\n    restoreNote(id: $id) {\n      ...WorkerNote\n    }\n  }\n": typeof types.WorkerRestoreNoteDocument,
    "\n  mutation WorkerUpdateSettings($input: UpdateSettingsInput!) {\n    updateSettings(input: $input) {\n      version\n    }\n  }\n": typeof types.WorkerUpdateSettingsDocument,
    "\n  mutation WorkerIngestTelemetry($events: [TelemetryEventInput!]!) {\n    ingestTelemetry(events: $events) {\n      accepted\n      duplicates\n    }\n  }\n": typeof types.WorkerIngestTelemetryDocument,
    "\n  query WorkerNoteById($id: ID!) {\n    note(id: $id) {\n      ...WorkerNote\n    }\n  }\n": typeof types.WorkerNoteByIdDocument,
    "\n  query WorkerNotes($videoId: ID!, $after: String, $filter: NoteFilterInput) {\n    notes(videoId: $videoId, first: 100, after: $after, filter: $filter) {\n      edges {\n        node {\n          ...WorkerNote\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.WorkerNotesDocument,
    "\n  query WorkerMarkerNotes($videoId: ID!, $after: String) {\n    notes(\n      videoId: $videoId\n      first: 100\n      after: $after\n      filter: {\n        statuses: [\n          GHOST\n          FIRMED\n          RESOLVED\n          SUPPRESSED\n          CANCELLED\n          QUEUED\n          POSTING\n          POSTED\n          FAILED\n          NEEDS_INTERVENTION\n        ]\n        includeSuppressed: true\n        includeDeleted: true\n      }\n    ) {\n      nodes {\n        ...WorkerNote\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      offset\n    }\n  }\n": typeof types.WorkerMarkerNotesDocument,
    "\n  subscription WorkerNoteEvents($videoId: ID!, $since: String) {\n    noteEvents(videoId: $videoId, since: $since) {\n      __typename\n      ... on NoteCreated {\n        offset\n        note {\n          ...WorkerNote\n        }\n      }\n      ... on NoteUpdated {\n        offset\n        note {\n          ...WorkerNote\n        }\n      }\n      ... on NoteDeleted {\n        offset\n        noteId\n        videoId\n      }\n      ... on VideoSummaryUpdated {\n        offset\n      }\n    }\n  }\n": typeof types.WorkerNoteEventsDocument,
    "\n  mutation WorkerDetectVideo($input: DetectVideoInput!) {\n    detectVideo(input: $input) {\n      id\n      platform\n      externalId\n      title\n    }\n  }\n": typeof types.WorkerDetectVideoDocument,
    "\n  mutation WorkerClaimVideoContext($input: ClaimVideoContextInput!) {\n    claimVideoContext(input: $input) {\n      ...WorkerVideoContext\n    }\n  }\n": typeof types.WorkerClaimVideoContextDocument,
    "\n  fragment WorkerVideoContext on VideoContext {\n    video {\n      id\n    }\n    owner {\n      deviceId\n      tabId\n      pageInstanceId\n    }\n  }\n": typeof types.WorkerVideoContextFragmentDoc,
    "\n  subscription WorkerVideoContextEvents {\n    videoContextEvents {\n      kind\n      context {\n        ...WorkerVideoContext\n      }\n    }\n  }\n": typeof types.WorkerVideoContextEventsDocument,
    "\n  subscription WorkerFeaturesChanged {\n    featuresChanged\n  }\n": typeof types.WorkerFeaturesChangedDocument,
    "\n  query WorkerMe {\n    me {\n      email\n    }\n  }\n": typeof types.WorkerMeDocument,
    "\n  mutation WorkerSubmitTranscript($input: SubmitTranscriptInput!) {\n    submitTranscript(input: $input) {\n      ...WorkerNote\n    }\n  }\n": typeof types.WorkerSubmitTranscriptDocument,
    "\n  fragment WorkerVoiceSession on VoiceSession {\n    id\n    state\n    videoId\n    tabId\n    pageInstanceId\n    lastAppliedSeq\n    endedAt\n    endReason\n  }\n": typeof types.WorkerVoiceSessionFragmentDoc,
    "\n  mutation WorkerStartVoiceSession($input: StartVoiceSessionInput!) {\n    startVoiceSession(input: $input) {\n      ...WorkerVoiceSession\n    }\n  }\n": typeof types.WorkerStartVoiceSessionDocument,
    "\n  mutation WorkerVoiceEvent($input: VoiceEventInput!) {\n    voiceEvent(input: $input) {\n      sessionId\n      appliedSeq\n      state\n      outcome\n      reason\n    }\n  }\n": typeof types.WorkerVoiceEventDocument,
    "\n  mutation WorkerResumeVoiceSession($input: ResumeVoiceSessionInput!) {\n    resumeVoiceSession(input: $input) {\n      outcome\n      reason\n      state\n      appliedSeq\n      snapshot {\n        ...WorkerVoiceSession\n      }\n    }\n  }\n": typeof types.WorkerResumeVoiceSessionDocument,
    "\n  mutation WorkerStopVoiceSession($sessionId: ID!) {\n    stopVoiceSession(sessionId: $sessionId) {\n      ...WorkerVoiceSession\n    }\n  }\n": typeof types.WorkerStopVoiceSessionDocument,
    "\n  mutation WorkerReportVoiceMetrics($input: VoiceMetricsInput!) {\n    reportVoiceMetrics(input: $input)\n  }\n": typeof types.WorkerReportVoiceMetricsDocument,
    "\n  subscription WorkerVoiceStatus {\n    voiceStatus {\n      sessionId\n      state\n      previousState\n      cause\n      seq\n      command\n      commandReason\n      restartBackoffMs\n    }\n  }\n": typeof types.WorkerVoiceStatusDocument,
    "\n  subscription WorkerSettingsChanged($since: Int) {\n    settingsChanged(since: $since) {\n      version\n      cooldownMs\n      mergeWithinMs\n      minSpeechMs\n      maxSpeechMs\n      autoPauseVideo\n      autoResumeDelayMs\n      idleStopMs\n      heartbeatIntervalMs\n      heartbeatTimeoutMs\n      maxRestarts\n      restartWindowMs\n      sessionTtlMs\n      startThreshold\n      endThreshold\n      minSilenceMs\n      preRollMs\n      preferredProtocolVersion\n      transcriptionMode\n      transcriptionEndpoint\n      transcriptionModel\n    }\n  }\n": typeof types.WorkerSettingsChangedDocument,
    "\n  fragment PanelNote on Note {\n    id\n    videoId\n    text\n    category\n    confidence\n    timestampSeconds\n    status\n    version\n    deletedAt\n  }\n": typeof types.PanelNoteFragmentDoc,
    "\n  query PanelNotes($videoId: ID!, $first: Int!, $after: String) {\n    notes(\n      videoId: $videoId\n      first: $first\n      after: $after\n      filter: {\n        statuses: [\n          GHOST\n          FIRMED\n          RESOLVED\n          SUPPRESSED\n          CANCELLED\n          QUEUED\n          POSTING\n          POSTED\n          FAILED\n          NEEDS_INTERVENTION\n        ]\n        includeSuppressed: true\n        includeDeleted: true\n      }\n    ) {\n      nodes {\n        ...PanelNote\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      offset\n    }\n  }\n": typeof types.PanelNotesDocument,
    "\n  subscription PanelNoteEvents($videoId: ID!, $since: String) {\n    noteEvents(videoId: $videoId, since: $since) {\n      __typename\n      ... on NoteCreated {\n        offset\n        note {\n          ...PanelNote\n        }\n      }\n      ... on NoteUpdated {\n        offset\n        note {\n          ...PanelNote\n        }\n      }\n      ... on NoteDeleted {\n        offset\n        noteId\n        videoId\n      }\n      ... on VideoSummaryUpdated {\n        offset\n      }\n    }\n  }\n": typeof types.PanelNoteEventsDocument,
    "\n  fragment PanelSettings on UserSettings {\n    minConfidence\n    autoPauseVideo\n    autoResumeDelayMs\n    cooldownMs\n    transcriptionMode\n    transcriptionEndpoint\n    transcriptionModel\n    version\n  }\n": typeof types.PanelSettingsFragmentDoc,
    "\n  query PanelSettings {\n    settings {\n      ...PanelSettings\n    }\n  }\n": typeof types.PanelSettingsDocument,
    "\n  subscription PanelSettingsChanged {\n    settingsChanged {\n      ...PanelSettings\n    }\n  }\n": typeof types.PanelSettingsChangedDocument,
};
const documents: Documents = {
    "\n  fragment WorkerNote on Note {\n    id\n    videoId\n    text\n    category\n    status\n    timestampSeconds\n    version\n    structurer\n    createdAt\n    deletedAt\n  }\n": types.WorkerNoteFragmentDoc,
    "\n  mutation WorkerCreateNote($input: CreateNoteInput!) {\n    createNote(input: $input) {\n      ...WorkerNote\n    }\n  }\n": types.WorkerCreateNoteDocument,
    "\n  mutation WorkerUpdateNote($input: UpdateNoteInput!) {\n    updateNote(input: $input) {\n      ...WorkerNote\n    }\n  }\n": types.WorkerUpdateNoteDocument,
    "\n  mutation WorkerDeleteNote($id: ID!, $reason: String) {\n    deleteNote(id: $id, reason: $reason) {\n      ...WorkerNote\n    }\n  }\n": types.WorkerDeleteNoteDocument,
    "\n  mutation WorkerRestoreNote($id: ID!) {\n    restoreNote(id: $id) {\n      ...WorkerNote\n    }\n  }\n": types.WorkerRestoreNoteDocument,
    "\n  mutation WorkerUpdateSettings($input: UpdateSettingsInput!) {\n    updateSettings(input: $input) {\n      version\n    }\n  }\n": types.WorkerUpdateSettingsDocument,
    "\n  mutation WorkerIngestTelemetry($events: [TelemetryEventInput!]!) {\n    ingestTelemetry(events: $events) {\n      accepted\n      duplicates\n    }\n  }\n": types.WorkerIngestTelemetryDocument,
    "\n  query WorkerNoteById($id: ID!) {\n    note(id: $id) {\n      ...WorkerNote\n    }\n  }\n": types.WorkerNoteByIdDocument,
    "\n  query WorkerNotes($videoId: ID!, $after: String, $filter: NoteFilterInput) {\n    notes(videoId: $videoId, first: 100, after: $after, filter: $filter) {\n      edges {\n        node {\n          ...WorkerNote\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.WorkerNotesDocument,
    "\n  query WorkerMarkerNotes($videoId: ID!, $after: String) {\n    notes(\n      videoId: $videoId\n      first: 100\n      after: $after\n      filter: {\n        statuses: [\n          GHOST\n          FIRMED\n          RESOLVED\n          SUPPRESSED\n          CANCELLED\n          QUEUED\n          POSTING\n          POSTED\n          FAILED\n          NEEDS_INTERVENTION\n        ]\n        includeSuppressed: true\n        includeDeleted: true\n      }\n    ) {\n      nodes {\n        ...WorkerNote\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      offset\n    }\n  }\n": types.WorkerMarkerNotesDocument,
    "\n  subscription WorkerNoteEvents($videoId: ID!, $since: String) {\n    noteEvents(videoId: $videoId, since: $since) {\n      __typename\n      ... on NoteCreated {\n        offset\n        note {\n          ...WorkerNote\n        }\n      }\n      ... on NoteUpdated {\n        offset\n        note {\n          ...WorkerNote\n        }\n      }\n      ... on NoteDeleted {\n        offset\n        noteId\n        videoId\n      }\n      ... on VideoSummaryUpdated {\n        offset\n      }\n    }\n  }\n": types.WorkerNoteEventsDocument,
    "\n  mutation WorkerDetectVideo($input: DetectVideoInput!) {\n    detectVideo(input: $input) {\n      id\n      platform\n      externalId\n      title\n    }\n  }\n": types.WorkerDetectVideoDocument,
    "\n  mutation WorkerClaimVideoContext($input: ClaimVideoContextInput!) {\n    claimVideoContext(input: $input) {\n      ...WorkerVideoContext\n    }\n  }\n": types.WorkerClaimVideoContextDocument,
    "\n  fragment WorkerVideoContext on VideoContext {\n    video {\n      id\n    }\n    owner {\n      deviceId\n      tabId\n      pageInstanceId\n    }\n  }\n": types.WorkerVideoContextFragmentDoc,
    "\n  subscription WorkerVideoContextEvents {\n    videoContextEvents {\n      kind\n      context {\n        ...WorkerVideoContext\n      }\n    }\n  }\n": types.WorkerVideoContextEventsDocument,
    "\n  subscription WorkerFeaturesChanged {\n    featuresChanged\n  }\n": types.WorkerFeaturesChangedDocument,
    "\n  query WorkerMe {\n    me {\n      email\n    }\n  }\n": types.WorkerMeDocument,
    "\n  mutation WorkerSubmitTranscript($input: SubmitTranscriptInput!) {\n    submitTranscript(input: $input) {\n      ...WorkerNote\n    }\n  }\n": types.WorkerSubmitTranscriptDocument,
    "\n  fragment WorkerVoiceSession on VoiceSession {\n    id\n    state\n    videoId\n    tabId\n    pageInstanceId\n    lastAppliedSeq\n    endedAt\n    endReason\n  }\n": types.WorkerVoiceSessionFragmentDoc,
    "\n  mutation WorkerStartVoiceSession($input: StartVoiceSessionInput!) {\n    startVoiceSession(input: $input) {\n      ...WorkerVoiceSession\n    }\n  }\n": types.WorkerStartVoiceSessionDocument,
    "\n  mutation WorkerVoiceEvent($input: VoiceEventInput!) {\n    voiceEvent(input: $input) {\n      sessionId\n      appliedSeq\n      state\n      outcome\n      reason\n    }\n  }\n": types.WorkerVoiceEventDocument,
    "\n  mutation WorkerResumeVoiceSession($input: ResumeVoiceSessionInput!) {\n    resumeVoiceSession(input: $input) {\n      outcome\n      reason\n      state\n      appliedSeq\n      snapshot {\n        ...WorkerVoiceSession\n      }\n    }\n  }\n": types.WorkerResumeVoiceSessionDocument,
    "\n  mutation WorkerStopVoiceSession($sessionId: ID!) {\n    stopVoiceSession(sessionId: $sessionId) {\n      ...WorkerVoiceSession\n    }\n  }\n": types.WorkerStopVoiceSessionDocument,
    "\n  mutation WorkerReportVoiceMetrics($input: VoiceMetricsInput!) {\n    reportVoiceMetrics(input: $input)\n  }\n": types.WorkerReportVoiceMetricsDocument,
    "\n  subscription WorkerVoiceStatus {\n    voiceStatus {\n      sessionId\n      state\n      previousState\n      cause\n      seq\n      command\n      commandReason\n      restartBackoffMs\n    }\n  }\n": types.WorkerVoiceStatusDocument,
    "\n  subscription WorkerSettingsChanged($since: Int) {\n    settingsChanged(since: $since) {\n      version\n      cooldownMs\n      mergeWithinMs\n      minSpeechMs\n      maxSpeechMs\n      autoPauseVideo\n      autoResumeDelayMs\n      idleStopMs\n      heartbeatIntervalMs\n      heartbeatTimeoutMs\n      maxRestarts\n      restartWindowMs\n      sessionTtlMs\n      startThreshold\n      endThreshold\n      minSilenceMs\n      preRollMs\n      preferredProtocolVersion\n      transcriptionMode\n      transcriptionEndpoint\n      transcriptionModel\n    }\n  }\n": types.WorkerSettingsChangedDocument,
    "\n  fragment PanelNote on Note {\n    id\n    videoId\n    text\n    category\n    confidence\n    timestampSeconds\n    status\n    version\n    deletedAt\n  }\n": types.PanelNoteFragmentDoc,
    "\n  query PanelNotes($videoId: ID!, $first: Int!, $after: String) {\n    notes(\n      videoId: $videoId\n      first: $first\n      after: $after\n      filter: {\n        statuses: [\n          GHOST\n          FIRMED\n          RESOLVED\n          SUPPRESSED\n          CANCELLED\n          QUEUED\n          POSTING\n          POSTED\n          FAILED\n          NEEDS_INTERVENTION\n        ]\n        includeSuppressed: true\n        includeDeleted: true\n      }\n    ) {\n      nodes {\n        ...PanelNote\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      offset\n    }\n  }\n": types.PanelNotesDocument,
    "\n  subscription PanelNoteEvents($videoId: ID!, $since: String) {\n    noteEvents(videoId: $videoId, since: $since) {\n      __typename\n      ... on NoteCreated {\n        offset\n        note {\n          ...PanelNote\n        }\n      }\n      ... on NoteUpdated {\n        offset\n        note {\n          ...PanelNote\n        }\n      }\n      ... on NoteDeleted {\n        offset\n        noteId\n        videoId\n      }\n      ... on VideoSummaryUpdated {\n        offset\n      }\n    }\n  }\n": types.PanelNoteEventsDocument,
    "\n  fragment PanelSettings on UserSettings {\n    minConfidence\n    autoPauseVideo\n    autoResumeDelayMs\n    cooldownMs\n    transcriptionMode\n    transcriptionEndpoint\n    transcriptionModel\n    version\n  }\n": types.PanelSettingsFragmentDoc,
    "\n  query PanelSettings {\n    settings {\n      ...PanelSettings\n    }\n  }\n": types.PanelSettingsDocument,
    "\n  subscription PanelSettingsChanged {\n    settingsChanged {\n      ...PanelSettings\n    }\n  }\n": types.PanelSettingsChangedDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WorkerNote on Note {\n    id\n    videoId\n    text\n    category\n    status\n    timestampSeconds\n    version\n    structurer\n    createdAt\n    deletedAt\n  }\n"): (typeof documents)["\n  fragment WorkerNote on Note {\n    id\n    videoId\n    text\n    category\n    status\n    timestampSeconds\n    version\n    structurer\n    createdAt\n    deletedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WorkerCreateNote($input: CreateNoteInput!) {\n    createNote(input: $input) {\n      ...WorkerNote\n    }\n  }\n"): (typeof documents)["\n  mutation WorkerCreateNote($input: CreateNoteInput!) {\n    createNote(input: $input) {\n      ...WorkerNote\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WorkerUpdateNote($input: UpdateNoteInput!) {\n    updateNote(input: $input) {\n      ...WorkerNote\n    }\n  }\n"): (typeof documents)["\n  mutation WorkerUpdateNote($input: UpdateNoteInput!) {\n    updateNote(input: $input) {\n      ...WorkerNote\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WorkerDeleteNote($id: ID!, $reason: String) {\n    deleteNote(id: $id, reason: $reason) {\n      ...WorkerNote\n    }\n  }\n"): (typeof documents)["\n  mutation WorkerDeleteNote($id: ID!, $reason: String) {\n    deleteNote(id: $id, reason: $reason) {\n      ...WorkerNote\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WorkerRestoreNote($id: ID!) {\n    restoreNote(id: $id) {\n      ...WorkerNote\n    }\n  }\n"): (typeof documents)["\n  mutation WorkerRestoreNote($id: ID!) {\n    restoreNote(id: $id) {\n      ...WorkerNote\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WorkerUpdateSettings($input: UpdateSettingsInput!) {\n    updateSettings(input: $input) {\n      version\n    }\n  }\n"): (typeof documents)["\n  mutation WorkerUpdateSettings($input: UpdateSettingsInput!) {\n    updateSettings(input: $input) {\n      version\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WorkerIngestTelemetry($events: [TelemetryEventInput!]!) {\n    ingestTelemetry(events: $events) {\n      accepted\n      duplicates\n    }\n  }\n"): (typeof documents)["\n  mutation WorkerIngestTelemetry($events: [TelemetryEventInput!]!) {\n    ingestTelemetry(events: $events) {\n      accepted\n      duplicates\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkerNoteById($id: ID!) {\n    note(id: $id) {\n      ...WorkerNote\n    }\n  }\n"): (typeof documents)["\n  query WorkerNoteById($id: ID!) {\n    note(id: $id) {\n      ...WorkerNote\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkerNotes($videoId: ID!, $after: String, $filter: NoteFilterInput) {\n    notes(videoId: $videoId, first: 100, after: $after, filter: $filter) {\n      edges {\n        node {\n          ...WorkerNote\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query WorkerNotes($videoId: ID!, $after: String, $filter: NoteFilterInput) {\n    notes(videoId: $videoId, first: 100, after: $after, filter: $filter) {\n      edges {\n        node {\n          ...WorkerNote\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkerMarkerNotes($videoId: ID!, $after: String) {\n    notes(\n      videoId: $videoId\n      first: 100\n      after: $after\n      filter: {\n        statuses: [\n          GHOST\n          FIRMED\n          RESOLVED\n          SUPPRESSED\n          CANCELLED\n          QUEUED\n          POSTING\n          POSTED\n          FAILED\n          NEEDS_INTERVENTION\n        ]\n        includeSuppressed: true\n        includeDeleted: true\n      }\n    ) {\n      nodes {\n        ...WorkerNote\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      offset\n    }\n  }\n"): (typeof documents)["\n  query WorkerMarkerNotes($videoId: ID!, $after: String) {\n    notes(\n      videoId: $videoId\n      first: 100\n      after: $after\n      filter: {\n        statuses: [\n          GHOST\n          FIRMED\n          RESOLVED\n          SUPPRESSED\n          CANCELLED\n          QUEUED\n          POSTING\n          POSTED\n          FAILED\n          NEEDS_INTERVENTION\n        ]\n        includeSuppressed: true\n        includeDeleted: true\n      }\n    ) {\n      nodes {\n        ...WorkerNote\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      offset\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WorkerNoteEvents($videoId: ID!, $since: String) {\n    noteEvents(videoId: $videoId, since: $since) {\n      __typename\n      ... on NoteCreated {\n        offset\n        note {\n          ...WorkerNote\n        }\n      }\n      ... on NoteUpdated {\n        offset\n        note {\n          ...WorkerNote\n        }\n      }\n      ... on NoteDeleted {\n        offset\n        noteId\n        videoId\n      }\n      ... on VideoSummaryUpdated {\n        offset\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription WorkerNoteEvents($videoId: ID!, $since: String) {\n    noteEvents(videoId: $videoId, since: $since) {\n      __typename\n      ... on NoteCreated {\n        offset\n        note {\n          ...WorkerNote\n        }\n      }\n      ... on NoteUpdated {\n        offset\n        note {\n          ...WorkerNote\n        }\n      }\n      ... on NoteDeleted {\n        offset\n        noteId\n        videoId\n      }\n      ... on VideoSummaryUpdated {\n        offset\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WorkerDetectVideo($input: DetectVideoInput!) {\n    detectVideo(input: $input) {\n      id\n      platform\n      externalId\n      title\n    }\n  }\n"): (typeof documents)["\n  mutation WorkerDetectVideo($input: DetectVideoInput!) {\n    detectVideo(input: $input) {\n      id\n      platform\n      externalId\n      title\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WorkerClaimVideoContext($input: ClaimVideoContextInput!) {\n    claimVideoContext(input: $input) {\n      ...WorkerVideoContext\n    }\n  }\n"): (typeof documents)["\n  mutation WorkerClaimVideoContext($input: ClaimVideoContextInput!) {\n    claimVideoContext(input: $input) {\n      ...WorkerVideoContext\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WorkerVideoContext on VideoContext {\n    video {\n      id\n    }\n    owner {\n      deviceId\n      tabId\n      pageInstanceId\n    }\n  }\n"): (typeof documents)["\n  fragment WorkerVideoContext on VideoContext {\n    video {\n      id\n    }\n    owner {\n      deviceId\n      tabId\n      pageInstanceId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WorkerVideoContextEvents {\n    videoContextEvents {\n      kind\n      context {\n        ...WorkerVideoContext\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription WorkerVideoContextEvents {\n    videoContextEvents {\n      kind\n      context {\n        ...WorkerVideoContext\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WorkerFeaturesChanged {\n    featuresChanged\n  }\n"): (typeof documents)["\n  subscription WorkerFeaturesChanged {\n    featuresChanged\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkerMe {\n    me {\n      email\n    }\n  }\n"): (typeof documents)["\n  query WorkerMe {\n    me {\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WorkerSubmitTranscript($input: SubmitTranscriptInput!) {\n    submitTranscript(input: $input) {\n      ...WorkerNote\n    }\n  }\n"): (typeof documents)["\n  mutation WorkerSubmitTranscript($input: SubmitTranscriptInput!) {\n    submitTranscript(input: $input) {\n      ...WorkerNote\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WorkerVoiceSession on VoiceSession {\n    id\n    state\n    videoId\n    tabId\n    pageInstanceId\n    lastAppliedSeq\n    endedAt\n    endReason\n  }\n"): (typeof documents)["\n  fragment WorkerVoiceSession on VoiceSession {\n    id\n    state\n    videoId\n    tabId\n    pageInstanceId\n    lastAppliedSeq\n    endedAt\n    endReason\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WorkerStartVoiceSession($input: StartVoiceSessionInput!) {\n    startVoiceSession(input: $input) {\n      ...WorkerVoiceSession\n    }\n  }\n"): (typeof documents)["\n  mutation WorkerStartVoiceSession($input: StartVoiceSessionInput!) {\n    startVoiceSession(input: $input) {\n      ...WorkerVoiceSession\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WorkerVoiceEvent($input: VoiceEventInput!) {\n    voiceEvent(input: $input) {\n      sessionId\n      appliedSeq\n      state\n      outcome\n      reason\n    }\n  }\n"): (typeof documents)["\n  mutation WorkerVoiceEvent($input: VoiceEventInput!) {\n    voiceEvent(input: $input) {\n      sessionId\n      appliedSeq\n      state\n      outcome\n      reason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WorkerResumeVoiceSession($input: ResumeVoiceSessionInput!) {\n    resumeVoiceSession(input: $input) {\n      outcome\n      reason\n      state\n      appliedSeq\n      snapshot {\n        ...WorkerVoiceSession\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation WorkerResumeVoiceSession($input: ResumeVoiceSessionInput!) {\n    resumeVoiceSession(input: $input) {\n      outcome\n      reason\n      state\n      appliedSeq\n      snapshot {\n        ...WorkerVoiceSession\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WorkerStopVoiceSession($sessionId: ID!) {\n    stopVoiceSession(sessionId: $sessionId) {\n      ...WorkerVoiceSession\n    }\n  }\n"): (typeof documents)["\n  mutation WorkerStopVoiceSession($sessionId: ID!) {\n    stopVoiceSession(sessionId: $sessionId) {\n      ...WorkerVoiceSession\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WorkerReportVoiceMetrics($input: VoiceMetricsInput!) {\n    reportVoiceMetrics(input: $input)\n  }\n"): (typeof documents)["\n  mutation WorkerReportVoiceMetrics($input: VoiceMetricsInput!) {\n    reportVoiceMetrics(input: $input)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WorkerVoiceStatus {\n    voiceStatus {\n      sessionId\n      state\n      previousState\n      cause\n      seq\n      command\n      commandReason\n      restartBackoffMs\n    }\n  }\n"): (typeof documents)["\n  subscription WorkerVoiceStatus {\n    voiceStatus {\n      sessionId\n      state\n      previousState\n      cause\n      seq\n      command\n      commandReason\n      restartBackoffMs\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WorkerSettingsChanged($since: Int) {\n    settingsChanged(since: $since) {\n      version\n      cooldownMs\n      mergeWithinMs\n      minSpeechMs\n      maxSpeechMs\n      autoPauseVideo\n      autoResumeDelayMs\n      idleStopMs\n      heartbeatIntervalMs\n      heartbeatTimeoutMs\n      maxRestarts\n      restartWindowMs\n      sessionTtlMs\n      startThreshold\n      endThreshold\n      minSilenceMs\n      preRollMs\n      preferredProtocolVersion\n      transcriptionMode\n      transcriptionEndpoint\n      transcriptionModel\n    }\n  }\n"): (typeof documents)["\n  subscription WorkerSettingsChanged($since: Int) {\n    settingsChanged(since: $since) {\n      version\n      cooldownMs\n      mergeWithinMs\n      minSpeechMs\n      maxSpeechMs\n      autoPauseVideo\n      autoResumeDelayMs\n      idleStopMs\n      heartbeatIntervalMs\n      heartbeatTimeoutMs\n      maxRestarts\n      restartWindowMs\n      sessionTtlMs\n      startThreshold\n      endThreshold\n      minSilenceMs\n      preRollMs\n      preferredProtocolVersion\n      transcriptionMode\n      transcriptionEndpoint\n      transcriptionModel\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PanelNote on Note {\n    id\n    videoId\n    text\n    category\n    confidence\n    timestampSeconds\n    status\n    version\n    deletedAt\n  }\n"): (typeof documents)["\n  fragment PanelNote on Note {\n    id\n    videoId\n    text\n    category\n    confidence\n    timestampSeconds\n    status\n    version\n    deletedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PanelNotes($videoId: ID!, $first: Int!, $after: String) {\n    notes(\n      videoId: $videoId\n      first: $first\n      after: $after\n      filter: {\n        statuses: [\n          GHOST\n          FIRMED\n          RESOLVED\n          SUPPRESSED\n          CANCELLED\n          QUEUED\n          POSTING\n          POSTED\n          FAILED\n          NEEDS_INTERVENTION\n        ]\n        includeSuppressed: true\n        includeDeleted: true\n      }\n    ) {\n      nodes {\n        ...PanelNote\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      offset\n    }\n  }\n"): (typeof documents)["\n  query PanelNotes($videoId: ID!, $first: Int!, $after: String) {\n    notes(\n      videoId: $videoId\n      first: $first\n      after: $after\n      filter: {\n        statuses: [\n          GHOST\n          FIRMED\n          RESOLVED\n          SUPPRESSED\n          CANCELLED\n          QUEUED\n          POSTING\n          POSTED\n          FAILED\n          NEEDS_INTERVENTION\n        ]\n        includeSuppressed: true\n        includeDeleted: true\n      }\n    ) {\n      nodes {\n        ...PanelNote\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      offset\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PanelNoteEvents($videoId: ID!, $since: String) {\n    noteEvents(videoId: $videoId, since: $since) {\n      __typename\n      ... on NoteCreated {\n        offset\n        note {\n          ...PanelNote\n        }\n      }\n      ... on NoteUpdated {\n        offset\n        note {\n          ...PanelNote\n        }\n      }\n      ... on NoteDeleted {\n        offset\n        noteId\n        videoId\n      }\n      ... on VideoSummaryUpdated {\n        offset\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription PanelNoteEvents($videoId: ID!, $since: String) {\n    noteEvents(videoId: $videoId, since: $since) {\n      __typename\n      ... on NoteCreated {\n        offset\n        note {\n          ...PanelNote\n        }\n      }\n      ... on NoteUpdated {\n        offset\n        note {\n          ...PanelNote\n        }\n      }\n      ... on NoteDeleted {\n        offset\n        noteId\n        videoId\n      }\n      ... on VideoSummaryUpdated {\n        offset\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PanelSettings on UserSettings {\n    minConfidence\n    autoPauseVideo\n    autoResumeDelayMs\n    cooldownMs\n    transcriptionMode\n    transcriptionEndpoint\n    transcriptionModel\n    version\n  }\n"): (typeof documents)["\n  fragment PanelSettings on UserSettings {\n    minConfidence\n    autoPauseVideo\n    autoResumeDelayMs\n    cooldownMs\n    transcriptionMode\n    transcriptionEndpoint\n    transcriptionModel\n    version\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PanelSettings {\n    settings {\n      ...PanelSettings\n    }\n  }\n"): (typeof documents)["\n  query PanelSettings {\n    settings {\n      ...PanelSettings\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PanelSettingsChanged {\n    settingsChanged {\n      ...PanelSettings\n    }\n  }\n"): (typeof documents)["\n  subscription PanelSettingsChanged {\n    settingsChanged {\n      ...PanelSettings\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;