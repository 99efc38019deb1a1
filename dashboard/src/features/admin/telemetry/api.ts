import { graphql } from '@/gql';

export const TelemetryNamesDocument = graphql(`
  query AdminTelemetryNames {
    telemetryNames
  }
`);

/** One page of stored telemetry, newest first, with every filter of the explorer. */
export const TelemetryEventsDocument = graphql(`
  query AdminTelemetryEvents(
    $first: Int
    $after: String
    $name: String
    $level: TelemetryLevel
    $userId: ID
    $deviceId: ID
    $sessionId: ID
    $source: TelemetrySource
    $from: DateTime
    $to: DateTime
  ) {
    telemetryEvents(
      first: $first
      after: $after
      name: $name
      level: $level
      userId: $userId
      deviceId: $deviceId
      sessionId: $sessionId
      source: $source
      from: $from
      to: $to
    ) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        clientKey
        eventId
        source
        name
        level
        userId
        deviceId
        sessionId
        occurredAt
        receivedAt
        properties
        clientVersion
      }
    }
  }
`);
