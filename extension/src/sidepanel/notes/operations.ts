// The side panel's GraphQL operations (PROTOCOL.md sections 6, 6.1, 9). They run on the
// worker's socket through the panel client; writes go through the outbox instead, so there
// are no mutations here. Names start with `Panel` so they never clash with another context's.

import { graphql } from '@/gql';

export const PanelNoteFragment = graphql(`
  fragment PanelNote on Note {
    id
    videoId
    text
    category
    confidence
    timestampSeconds
    status
    version
    deletedAt
  }
`);

/** One page of a video's notes: every status, deleted ones too; the panel filters. `offset`:
 * where the stream stood when the page was read, which the panel's `noteEvents` starts after
 * (src/shared/videoNotes.ts). */
export const PanelNotesDocument = graphql(`
  query PanelNotes($videoId: ID!, $first: Int!, $after: String) {
    notes(
      videoId: $videoId
      first: $first
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
        ...PanelNote
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
export const PanelNoteEventsDocument = graphql(`
  subscription PanelNoteEvents($videoId: ID!, $since: String) {
    noteEvents(videoId: $videoId, since: $since) {
      __typename
      ... on NoteCreated {
        offset
        note {
          ...PanelNote
        }
      }
      ... on NoteUpdated {
        offset
        note {
          ...PanelNote
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
