// The settings the panel shows, read once and then followed live (`settingsChanged`).

import { graphql } from '@/gql';

export const PanelSettingsFragment = graphql(`
  fragment PanelSettings on UserSettings {
    minConfidence
    autoPauseVideo
    autoResumeDelayMs
    cooldownMs
    transcriptionMode
    transcriptionEndpoint
    transcriptionModel
    version
  }
`);

export const PanelSettingsDocument = graphql(`
  query PanelSettings {
    settings {
      ...PanelSettings
    }
  }
`);

export const PanelSettingsChangedDocument = graphql(`
  subscription PanelSettingsChanged {
    settingsChanged {
      ...PanelSettings
    }
  }
`);
