// Every GraphQL operation the service worker runs itself. Types come from codegen (src/gql);
// graphql-ws wants the text, so `text()` prints a document once.

import { print, type DocumentNode } from 'graphql';

import { graphql } from '@/gql';

const printed = new WeakMap<DocumentNode, string>();

export function text(document: DocumentNode): string {
  let query = printed.get(document);
  if (query === undefined) {
    query = print(document);
    printed.set(document, query);
  }
  return query;
}

export const NoteFieldsFragment = graphql(`
  fragment WorkerNote on Note {
    id
    videoId
    text
    category
    status
    timestampSeconds
    version
    structurer
    createdAt
    deletedAt
  }
`);

export const CreateNoteDocument = graphql(`
  mutation WorkerCreateNote($input: CreateNoteInput!) {
    createNote(input: $input) {
      ...WorkerNote
    }
  }
`);

export const UpdateNoteDocument = graphql(`
  mutation WorkerUpdateNote($input: UpdateNoteInput!) {
    updateNote(input: $input) {
      ...WorkerNote
    }
  }
`);

export const DeleteNoteDocument = graphql(`
  mutation WorkerDeleteNote($id: ID!, $reason: String) {
    deleteNote(id: $id, reason: $reason) {
      ...WorkerNote
    }
  }
`);

export const RestoreNoteDocument = graphql(`
  mutation WorkerRestoreNote($id: ID!) {
    restoreNote(id: $id) {
      ...WorkerNote
    }
  }
`);

export const UpdateSettingsDocument = graphql(`
  mutation WorkerUpdateSettings($input: UpdateSettingsInput!) {
    updateSettings(input: $input) {
      version
    }
  }
`);

export const IngestTelemetryDocument = graphql(`
  mutation WorkerIngestTelemetry($events: [TelemetryEventInput!]!) {
    ingestTelemetry(events: $events) {
      accepted
      duplicates
    }
  }
`);

export const NoteDocument = graphql(`
  query WorkerNoteById($id: ID!) {
    note(id: $id) {
      ...WorkerNote
    }
  }
`);

export const NotesDocument = graphql(`
  query WorkerNotes($videoId: ID!, $after: String, $filter: NoteFilterInput) {
    notes(videoId: $videoId, first: 100, after: $after, filter: $filter) {
      edges {
        node {
          ...WorkerNote
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** One page of a video's notes for its markers: every status, deleted ones too (a deletion is
 * a version like any change), and `offset`, where the stream stood when the page was read: the
 * video's `noteEvents` starts after it (src/shared/videoNotes.ts). */
export const MarkerNotesDocument = graphql(`
  query WorkerMarkerNotes($videoId: ID!, $after: String) {
    notes(
      videoId: $videoId
      first: 100
      after: $after
      filter: {
        statuses: [
          GHOST
          FIRMED
          RESOLVED
          SUPPRESSED
          CANCELLED
          QUEUED
          POSTING
          POSTED
          FAILED
          NEEDS_INTERVENTION
        ]
        includeSuppressed: true
        includeDeleted: true
      }
    ) {
      nodes {
        ...WorkerNote
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      offset
    }
  }
`);

/** A video's note events, each with its offset; with `since`, those after it first. */
export const NoteEventsDocument = graphql(`
  subscription WorkerNoteEvents($videoId: ID!, $since: String) {
    noteEvents(videoId: $videoId, since: $since) {
      __typename
      ... on NoteCreated {
        offset
        note {
          ...WorkerNote
        }
      }
      ... on NoteUpdated {
        offset
        note {
          ...WorkerNote
        }
      }
      ... on NoteDeleted {
        offset
        noteId
        videoId
      }
      ... on VideoSummaryUpdated {
        offset
      }
    }
  }
`);

export const DetectVideoDocument = graphql(`
  mutation WorkerDetectVideo($input: DetectVideoInput!) {
    detectVideo(input: $input) {
      id
      platform
      externalId
      title
    }
  }
`);

export const ClaimVideoContextDocument = graphql(`
  mutation WorkerClaimVideoContext($input: ClaimVideoContextInput!) {
    claimVideoContext(input: $input) {
      ...WorkerVideoContext
    }
  }
`);

export const VideoContextFragment = graphql(`
  fragment WorkerVideoContext on VideoContext {
    video {
      id
    }
    owner {
      deviceId
      tabId
      pageInstanceId
    }
  }
`);

export const VideoContextEventsDocument = graphql(`
  subscription WorkerVideoContextEvents {
    videoContextEvents {
      kind
      context {
        ...WorkerVideoContext
      }
    }
  }
`);

export const FeaturesChangedDocument = graphql(`
  subscription WorkerFeaturesChanged {
    featuresChanged
  }
`);

export const MeDocument = graphql(`
  query WorkerMe {
    me {
      email
    }
  }
`);

export const SubmitTranscriptDocument = graphql(`
  mutation WorkerSubmitTranscript($input: SubmitTranscriptInput!) {
    submitTranscript(input: $input) {
      ...WorkerNote
    }
  }
`);

export const VoiceSessionFieldsFragment = graphql(`
  fragment WorkerVoiceSession on VoiceSession {
    id
    state
    videoId
    tabId
    pageInstanceId
    lastAppliedSeq
    endedAt
    endReason
  }
`);

export const StartVoiceSessionDocument = graphql(`
  mutation WorkerStartVoiceSession($input: StartVoiceSessionInput!) {
    startVoiceSession(input: $input) {
      ...WorkerVoiceSession
    }
  }
`);

export const VoiceEventDocument = graphql(`
  mutation WorkerVoiceEvent($input: VoiceEventInput!) {
    voiceEvent(input: $input) {
      sessionId
      appliedSeq
      state
      outcome
      reason
    }
  }
`);

export const ResumeVoiceSessionDocument = graphql(`
  mutation WorkerResumeVoiceSession($input: ResumeVoiceSessionInput!) {
    resumeVoiceSession(input: $input) {
      outcome
      reason
      state
      appliedSeq
      snapshot {
        ...WorkerVoiceSession
      }
    }
  }
`);

export const StopVoiceSessionDocument = graphql(`
  mutation WorkerStopVoiceSession($sessionId: ID!) {
    stopVoiceSession(sessionId: $sessionId) {
      ...WorkerVoiceSession
    }
  }
`);

export const ReportVoiceMetricsDocument = graphql(`
  mutation WorkerReportVoiceMetrics($input: VoiceMetricsInput!) {
    reportVoiceMetrics(input: $input)
  }
`);

export const VoiceStatusDocument = graphql(`
  subscription WorkerVoiceStatus {
    voiceStatus {
      sessionId
      state
      previousState
      cause
      seq
      command
      commandReason
      restartBackoffMs
    }
  }
`);

export const SettingsChangedDocument = graphql(`
  subscription WorkerSettingsChanged($since: Int) {
    settingsChanged(since: $since) {
      version
      cooldownMs
      mergeWithinMs
      minSpeechMs
      maxSpeechMs
      autoPauseVideo
      autoResumeDelayMs
      idleStopMs
      heartbeatIntervalMs
      heartbeatTimeoutMs
      maxRestarts
      restartWindowMs
      sessionTtlMs
      startThreshold
      endThreshold
      minSilenceMs
      preRollMs
      preferredProtocolVersion
      transcriptionMode
      transcriptionEndpoint
      transcriptionModel
    }
  }
`);
