import { graphql } from '@/gql';

/**
 * One page of the signed-in user's videos, most recently viewed first, with note counts;
 * `search` matches the title or the canonical URL, ignoring case.
 */
export const LibraryVideosDocument = graphql(`
  query LibraryVideos(
    $first: Int
    $after: String
    $platform: String
    $status: VideoStatus
    $search: String
  ) {
    videos(first: $first, after: $after, platform: $platform, status: $status, search: $search) {
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
