import { graphql } from '@/gql';

export const AnalyticsPointFieldsFragment = graphql(`
  fragment AdminAnalyticsPointFields on AnalyticsPoint {
    at
    noteDelivery {
      count
      p50Ms
      p95Ms
      p99Ms
    }
    voiceEvent {
      count
      p50Ms
      p95Ms
      p99Ms
    }
    notesCreated
    notesSuppressed
    voiceEvents
    errors
    resets
    disconnects
    reconnects
    activeSessions
    activeUsers
    telemetryAccepted
    telemetryDuplicates
    telemetryDropped
  }
`);

export const AnalyticsDocument = graphql(`
  query AdminAnalytics($from: DateTime!, $to: DateTime!, $bucket: AnalyticsBucket!) {
    analytics(from: $from, to: $to, bucket: $bucket) {
      from
      to
      bucket
      points {
        ...AdminAnalyticsPointFields
      }
      total {
        ...AdminAnalyticsPointFields
      }
    }
  }
`);
