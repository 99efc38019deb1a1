import { graphql } from '@/gql';

export const QualitySummaryDocument = graphql(`
  query AdminQualitySummary($from: DateTime, $to: DateTime, $userId: ID) {
    noteQualitySummary(from: $from, to: $to, userId: $userId) {
      decision
      reason
      category
      count
    }
  }
`);

export const LearnedThresholdsDocument = graphql(`
  query AdminLearnedThresholds($userId: ID, $platform: String) {
    learnedThresholds(userId: $userId, platform: $platform) {
      id
      userId
      user {
        id
        email
      }
      platform
      category
      thresholdDelta
      enabled
      reason
      updatedAt
    }
  }
`);

export const ResetLearnedThresholdsDocument = graphql(`
  mutation AdminResetLearnedThresholds($userId: ID!, $platform: String) {
    resetLearnedThresholds(userId: $userId, platform: $platform)
  }
`);
