import { graphql } from '@/gql';

export const JobCountsDocument = graphql(`
  query AdminJobCounts($kind: JobKind) {
    jobCounts(kind: $kind) {
      pending
      running
      done
      dead
    }
  }
`);

export const JobsDocument = graphql(`
  query AdminJobs($first: Int, $after: String, $state: JobState, $kind: JobKind) {
    jobs(first: $first, after: $after, state: $state, kind: $kind) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        kind
        state
        attempts
        maxAttempts
        noteId
        runAt
        doneAt
        lastResult
      }
    }
  }
`);

export const RetryJobDocument = graphql(`
  mutation AdminRetryJob($id: ID!) {
    retryJob(id: $id) {
      id
      kind
      state
      attempts
      maxAttempts
      noteId
      runAt
      doneAt
      lastResult
    }
  }
`);
