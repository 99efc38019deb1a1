import { graphql } from '@/gql';

/** One page of the signed-in user's videos, most recently viewed first, with note counts. */
export const LibraryVideosDocument = graphql(`
  query LibraryVideos($first: Int, $after: String, $platform: String, $status: VideoStatus) {
    videos(first: $first, after: $after, platform: $platform, status: $status) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        platform
        canonicalUrl
        title
        thumbnailUrl
        status
        lastViewedAt
        noteSummary {
          totalCount
          countsByCategory {
            category
            count
          }
        }
      }
    }
  }
`);
