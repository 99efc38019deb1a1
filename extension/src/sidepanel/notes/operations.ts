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

/** One page of a video's notes: every status, deleted ones too; the panel filters. */
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
    }
  }
`);

export const PanelNoteEventsDocument = graphql(`
  subscription PanelNoteEvents($videoId: ID!) {
    noteEvents(videoId: $videoId) {
      __typename
      ... on NoteCreated {
        note {
          ...PanelNote
        }
      }
      ... on NoteUpdated {
        note {
          ...PanelNote
        }
      }
      ... on NoteDeleted {
        noteId
        videoId
      }
    }
  }
`);
