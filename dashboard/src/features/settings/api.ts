import { graphql } from '@/gql';

// Every setting the page edits, plus `version` (sent back as `expectedVersion`). Not
// `clientPreferences`: the extension keeps its own things there.
export const SettingsFields = graphql(`
  fragment SettingsFields on UserSettings {
    cooldownMs
    mergeWithinMs
    minSpeechMs
    maxSpeechMs
    autoPauseVideo
    autoResumeDelayMs
    idleStopMs
    heartbeatIntervalMs
    heartbeatTimeoutMs
    maxRestarts
    restartWindowMs
    sessionTtlMs
    startThreshold
    endThreshold
    minSilenceMs
    preRollMs
    minConfidence
    preferredProtocolVersion
    transcriptionMode
    transcriptionEndpoint
    transcriptionModel
    version
    updatedAt
  }
`);

export const SettingsDocument = graphql(`
  query SettingsPage {
    me {
      id
    }
    settings {
      ...SettingsFields
    }
  }
`);

export const UpdateSettingsDocument = graphql(`
  mutation UpdateSettingsPage($input: UpdateSettingsInput!) {
    updateSettings(input: $input) {
      ...SettingsFields
    }
  }
`);

export const SettingsChangedDocument = graphql(`
  subscription SettingsPageChanged {
    settingsChanged {
      ...SettingsFields
    }
  }
`);
