import { graphql } from '@/gql';

/** One page of the authentication audit log, newest first (admins only). */
export const AuthEventsDocument = graphql(`
  query AdminAuthEvents($first: Int, $after: String, $kind: String, $outcome: String) {
    authEvents(first: $first, after: $after, kind: $kind, outcome: $outcome) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        occurredAt
        kind
        outcome
        reason
        userId
        deviceId
        email
        ip
      }
    }
  }
`);
