//! Every entity of the crate under a table-like name.

pub use super::auth_events::Entity as AuthEvents;
pub use super::devices::Entity as Devices;
pub use super::feature_flag_overrides::Entity as FeatureFlagOverrides;
pub use super::feature_flags::Entity as FeatureFlags;
pub use super::spent_refresh_tokens::Entity as SpentRefreshTokens;
pub use super::user_settings::Entity as UserSettings;
pub use super::users::Entity as Users;
pub use super::web_sessions::Entity as WebSessions;
