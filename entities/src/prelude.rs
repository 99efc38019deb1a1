//! Every entity of the crate under a table-like name.

pub use super::auth_events::Entity as AuthEvents;
pub use super::devices::Entity as Devices;
pub use super::feature_flag_overrides::Entity as FeatureFlagOverrides;
pub use super::feature_flags::Entity as FeatureFlags;
pub use super::note_event_offsets::Entity as NoteEventOffsets;
pub use super::note_events::Entity as NoteEvents;
pub use super::note_posts::Entity as NotePosts;
pub use super::note_quality_decisions::Entity as NoteQualityDecisions;
pub use super::note_refinements::Entity as NoteRefinements;
pub use super::notes::Entity as Notes;
pub use super::quality_adjustments::Entity as QualityAdjustments;
pub use super::spent_refresh_tokens::Entity as SpentRefreshTokens;
pub use super::telemetry_events::Entity as TelemetryEvents;
pub use super::user_settings::Entity as UserSettings;
pub use super::users::Entity as Users;
pub use super::video_contexts::Entity as VideoContexts;
pub use super::videos::Entity as Videos;
pub use super::voice_session_transitions::Entity as VoiceSessionTransitions;
pub use super::voice_sessions::Entity as VoiceSessions;
pub use super::web_sessions::Entity as WebSessions;
pub use super::webhooks::Entity as Webhooks;
