//! Feature flags (PROTOCOL.md section 4): each flag has a default, a rollout percentage and
//! per-user overrides, and clients learn the result for their user in the handshake and on
//! `featuresChanged`.
//!
//! Read in this order: `evaluate` (the pure rule: override, then rollout bucket, then
//! default; `explain` says which step answered, `preview` whose answers a change flips),
//! `store` (rows, overrides, and the poller that notices changes made by another process such
//! as `lossy flags set`), `graphql`.
//!
//! Evaluation is driven by the `feature_flags` table, not by [`KNOWN_FLAGS`]: the list only
//! guards writes against typos.

pub mod cache;
pub mod evaluate;
pub mod graphql;
pub mod store;

use std::fmt;

use crate::error::{AppError, AppResult};

/// The flag that lets a user's clients speak protocol v2 (the server-owned voice session).
pub const SERVER_VOICE_SESSION: &str = "server_voice_session";

/// The flag that lets `detectVideo` identify videos with the platform adapters (off: the
/// generic identity of the page URL).
pub const SERVER_PLATFORM_ADAPTERS: &str = "server_platform_adapters";

/// Every flag this server knows, as created by the first migration.
pub const KNOWN_FLAGS: [&str; 5] = [
    SERVER_VOICE_SESSION,
    "server_notes_channel",
    "server_video_context",
    "server_telemetry",
    SERVER_PLATFORM_ADAPTERS,
];

/// The name of a flag in [`KNOWN_FLAGS`]; parsing is the only way to get one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FlagName(&'static str);

impl FlagName {
    /// The known flag called `raw`, or `BAD_USER_INPUT` on `name` listing the known flags.
    pub fn parse(raw: &str) -> AppResult<FlagName> {
        let raw = raw.trim();
        KNOWN_FLAGS
            .iter()
            .find(|known| **known == raw)
            .map(|known| FlagName(known))
            .ok_or_else(|| {
                AppError::bad_input(
                    "name",
                    format!(
                        "unknown feature flag {raw:?}; known flags: {}",
                        KNOWN_FLAGS.join(", ")
                    ),
                )
            })
    }

    /// The name as stored.
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for FlagName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A rollout percentage from outside (GraphQL `Int`, command line), or `BAD_USER_INPUT` on
/// `rolloutPercent` when it is not in `0..=100`.
pub fn rollout_percent(raw: i64) -> AppResult<u8> {
    u8::try_from(raw)
        .ok()
        .filter(|percent| *percent <= 100)
        .ok_or_else(|| {
            AppError::bad_input(
                "rolloutPercent",
                format!("rolloutPercent must be between 0 and 100 (got {raw})"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bad_input_field(err: AppError) -> Option<String> {
        match err {
            AppError::BadUserInput { field, .. } => field,
            _ => None,
        }
    }

    #[test]
    fn known_flags_parse() {
        for name in KNOWN_FLAGS {
            assert_eq!(FlagName::parse(name).map(FlagName::as_str).ok(), Some(name));
        }
    }

    #[test]
    fn unknown_flags_are_refused_with_the_known_ones_listed() {
        let err = FlagName::parse("server_voice_sesion").err();
        let message = err
            .as_ref()
            .map(AppError::public_message)
            .unwrap_or_default();
        assert!(message.contains("server_platform_adapters"), "{message}");
        assert_eq!(err.and_then(bad_input_field).as_deref(), Some("name"));
    }

    #[test]
    fn rollout_percent_is_0_to_100() {
        assert_eq!(rollout_percent(0).ok(), Some(0));
        assert_eq!(rollout_percent(100).ok(), Some(100));
        for bad in [-1, 101, 256, i64::MAX] {
            let field = rollout_percent(bad).err().and_then(bad_input_field);
            assert_eq!(field.as_deref(), Some("rolloutPercent"), "{bad}");
        }
    }
}
