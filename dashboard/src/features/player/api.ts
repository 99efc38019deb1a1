// The GraphQL operations of the video page's player and header.

import { graphql } from '@/gql';

export const VideoDocument = graphql(`
  query Video($id: ID!) {
    video(id: $id) {
      id
      platform
      externalId
      canonicalUrl
      embedUrl
      lastUrl
      title
      durationSeconds
    }
  }
`);

/** Where the platform opens the video at a given second (for players that cannot seek). */
export const DeepLinkDocument = graphql(`
  query VideoDeepLink($id: ID!, $seconds: Float!) {
    video(id: $id) {
      id
      deepLink(seconds: $seconds)
    }
  }
`);
