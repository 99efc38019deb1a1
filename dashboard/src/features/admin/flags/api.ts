import { graphql } from '@/gql';

export const AdminFlagFieldsFragment = graphql(`
  fragment AdminFlagFields on FeatureFlag {
    name
    description
    defaultEnabled
    rolloutPercent
    updatedAt
    overrides {
      userId
      email
      enabled
    }
  }
`);

export const FeatureFlagsDocument = graphql(`
  query AdminFeatureFlags {
    featureFlags {
      ...AdminFlagFields
    }
  }
`);

/** Who would change if the flag changed so, and (for `userId`) that user's answer and why. */
export const FeatureFlagPreviewDocument = graphql(`
  query AdminFeatureFlagPreview($input: FeatureFlagPreviewInput!) {
    featureFlagPreview(input: $input) {
      name
      usersConsidered
      changedCount
      turningOn
      turningOff
      changes {
        user {
          id
          email
        }
        before
        after
        reason
      }
      user {
        user {
          id
          email
        }
        enabled
        reason
        bucket
      }
    }
  }
`);

export const SetFeatureFlagDocument = graphql(`
  mutation AdminSetFeatureFlag($input: SetFeatureFlagInput!) {
    setFeatureFlag(input: $input) {
      ...AdminFlagFields
    }
  }
`);

export const SetFeatureFlagOverrideDocument = graphql(`
  mutation AdminSetFeatureFlagOverride($input: SetFeatureFlagOverrideInput!) {
    setFeatureFlagOverride(input: $input) {
      ...AdminFlagFields
    }
  }
`);
