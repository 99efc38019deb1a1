import { graphql } from '@/gql';

/** Users whose email or name contains `search`, for picking one by email. */
export const FindUsersDocument = graphql(`
  query AdminFindUsers($search: String, $first: Int) {
    users(search: $search, first: $first) {
      nodes {
        id
        email
        name
      }
    }
  }
`);
