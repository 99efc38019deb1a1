// The GraphQL operations of a video's notes (PROTOCOL.md sections 6, 6.1 and 9).

import { graphql } from '@/gql';

export const NoteFieldsFragment = graphql(`
  fragment NoteFields on Note {
    id
    videoId
    text
    category
    confidence
    timestampSeconds
    status
    version
    createdAt
    deletedAt
    quality {
      decision
      reason
    }
  }
`);

export const NoteSummaryFieldsFragment = graphql(`
  fragment NoteSummaryFields on NoteSummary {
    totalCount
    countsByCategory {
      category
      count
    }
    countsByStatus {
      status
      count
    }
  }
`);

/** One page of a video's notes; the first page also reads the video's counts. */
export const NotesPageDocument = graphql(`
  query NotesPage(
    $videoId: ID!
    $first: Int!
    $after: String
    $filter: NoteFilterInput!
    $withSummary: Boolean!
  ) {
    video(id: $videoId) @include(if: $withSummary) {
      id
      noteSummary {
        ...NoteSummaryFields
      }
    }
    notes(videoId: $videoId, first: $first, after: $after, filter: $filter) {
      nodes {
        ...NoteFields
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount
      offset
    }
  }
`);

export const NoteDocument = graphql(`
  query Note($id: ID!) {
    note(id: $id) {
      ...NoteFields
    }
  }
`);

/** The video's note events; with `since` (the last offset applied), those after it first. */
export const NoteEventsDocument = graphql(`
  subscription NoteEvents($videoId: ID!, $since: String) {
    noteEvents(videoId: $videoId, since: $since) {
      __typename
      ... on NoteCreated {
        offset
        note {
          ...NoteFields
        }
      }
      ... on NoteUpdated {
        offset
        note {
          ...NoteFields
        }
      }
      ... on NoteDeleted {
        offset
        noteId
        videoId
      }
      ... on VideoSummaryUpdated {
        offset
        videoId
        totalCount
        countsByCategory {
          category
          count
        }
        countsByStatus {
          status
          count
        }
      }
    }
  }
`);

export const CreateNoteDocument = graphql(`
  mutation CreateNote($input: CreateNoteInput!) {
    createNote(input: $input) {
      ...NoteFields
    }
  }
`);

export const UpdateNoteDocument = graphql(`
  mutation UpdateNote($input: UpdateNoteInput!) {
    updateNote(input: $input) {
      ...NoteFields
    }
  }
`);

export const DeleteNoteDocument = graphql(`
  mutation DeleteNote($id: ID!) {
    deleteNote(id: $id) {
      ...NoteFields
    }
  }
`);

export const RestoreNoteDocument = graphql(`
  mutation RestoreNote($id: ID!) {
    restoreNote(id: $id) {
      ...NoteFields
    }
  }
`);
