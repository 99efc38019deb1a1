import { graphql } from '@/gql';

export const LiveSessionsFieldsFragment = graphql(`
  fragment AdminLiveSessionsFields on LiveSessions {
    at
    total
    byState {
      state
      count
    }
    sessions {
      id
      user {
        id
        email
      }
      videoId
      videoTitle
      state
      startedAt
      lastEventAt
      node
    }
  }
`);

/** The live voice sessions now (the subscription below keeps them current). */
export const LiveSessionsDocument = graphql(`
  query AdminLiveSessions($first: Int) {
    liveSessions(first: $first) {
      ...AdminLiveSessionsFields
    }
  }
`);

export const LiveSessionsChangedDocument = graphql(`
  subscription AdminLiveSessionsChanged($first: Int) {
    liveSessionsChanged(first: $first) {
      ...AdminLiveSessionsFields
    }
  }
`);

export const ServerHealthDocument = graphql(`
  query AdminServerHealth {
    serverHealth {
      version
      node
      startedAt
      uptimeSeconds
      database {
        backend
        ok
        latencyMs
        error
      }
      jobs {
        pending
        running
        done
        dead
      }
      openSockets
      liveSessions
    }
  }
`);

/** The last hour as one point: delivery latency, errors and the events they are a share of. */
export const LastHourDocument = graphql(`
  query AdminLastHour($from: DateTime!, $to: DateTime!) {
    analytics(from: $from, to: $to, bucket: MINUTE) {
      from
      to
      total {
        noteDelivery {
          count
          p50Ms
          p95Ms
          p99Ms
        }
        voiceEvents
        errors
        resets
        disconnects
        notesCreated
      }
    }
  }
`);
