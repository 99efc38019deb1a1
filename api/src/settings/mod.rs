//! A user's settings: the voice timers and thresholds of PROTOCOL.md section 5.5, the note
//! confidence floor, the preferred protocol version and free-form client preferences.
//!
//! This module is the pure core: [`UserSettings`] with its defaults, [`SettingsPatch`] and
//! [`UserSettings::apply`], which validates a patch against the allowed ranges and the rules
//! between settings. Read it, then `store` (one database row per user, created on first read,
//! written with optimistic concurrency), then `graphql`.
//!
//! Every allowed range is written once, in the `settings_patch!` table below. The table
//! generates the patch type (the fields of the GraphQL `UpdateSettingsInput`, whose
//! descriptions state the range), the range checks and their error messages, so the three
//! cannot disagree.

pub mod cache;
pub mod graphql;
pub mod store;

use std::fmt::Display;

use async_graphql::{InputObject, SimpleObject};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use crate::error::{AppError, AppResult};

/// Largest `clientPreferences` accepted, in bytes of compact JSON.
pub const MAX_CLIENT_PREFERENCES_BYTES: usize = 16 * 1024;

/// The settings in force for one user. Also the GraphQL type `UserSettings`, so the field list
/// exists once.
#[derive(Debug, Clone, PartialEq, Serialize, SimpleObject)]
#[serde(rename_all = "camelCase")]
#[graphql(name = "UserSettings")]
pub struct UserSettings {
    /// Quiet time after a note before the next utterance may start, in milliseconds.
    pub cooldown_ms: i32,
    /// Utterances separated by less than this become one, in milliseconds.
    pub merge_within_ms: i32,
    /// Speech shorter than this is dropped as noise, in milliseconds.
    pub min_speech_ms: i32,
    /// Speech longer than this is cut into an utterance, in milliseconds.
    pub max_speech_ms: i32,
    /// Pause the video while the user speaks.
    pub auto_pause_video: bool,
    /// Delay before a paused video resumes after speech, in milliseconds.
    pub auto_resume_delay_ms: i32,
    /// A session with no speech for this long stops, in milliseconds.
    pub idle_stop_ms: i32,
    /// How often the client sends a heartbeat, in milliseconds.
    pub heartbeat_interval_ms: i32,
    /// A session with no heartbeat for this long is considered lost, in milliseconds.
    pub heartbeat_timeout_ms: i32,
    /// Capture restarts allowed within `restartWindowMs` before the session gives up.
    pub max_restarts: i32,
    /// The window `maxRestarts` counts over, in milliseconds.
    pub restart_window_ms: i32,
    /// Longest life of a voice session, in milliseconds.
    pub session_ttl_ms: i32,
    /// Voice activity probability at which speech starts (0 to 1).
    pub start_threshold: f64,
    /// Voice activity probability below which speech ends (0 to 1).
    pub end_threshold: f64,
    /// Silence needed to end speech, in milliseconds.
    pub min_silence_ms: i32,
    /// Audio kept from before speech started, in milliseconds.
    pub pre_roll_ms: i32,
    /// Notes structured with a lower confidence than this are suppressed (0 to 1).
    pub min_confidence: f64,
    /// Highest protocol version this user wants (1 or 2).
    pub preferred_protocol_version: i32,
    /// Free-form JSON object the clients keep for themselves.
    pub client_preferences: Value,
    /// Starts at 1; every write adds 1 (send it back as `expectedVersion`).
    pub version: i64,
    /// Time of the last write; none for settings never stored.
    pub updated_at: Option<DateTime<Utc>>,
}

impl Default for UserSettings {
    /// The defaults of PROTOCOL.md section 5.5.
    fn default() -> Self {
        UserSettings {
            cooldown_ms: 500,
            merge_within_ms: 250,
            min_speech_ms: 200,
            max_speech_ms: 15000,
            auto_pause_video: true,
            auto_resume_delay_ms: 500,
            idle_stop_ms: 180_000,
            heartbeat_interval_ms: 5000,
            heartbeat_timeout_ms: 15000,
            max_restarts: 3,
            restart_window_ms: 60000,
            session_ttl_ms: 600_000,
            start_threshold: 0.6,
            end_threshold: 0.35,
            min_silence_ms: 650,
            pre_roll_ms: 500,
            min_confidence: 0.3,
            preferred_protocol_version: 2,
            client_preferences: json!({}),
            version: 1,
            updated_at: None,
        }
    }
}

impl UserSettings {
    /// The settings with `patch` applied, or the first field that breaks a range or a rule
    /// between settings. `version` and `updatedAt` are left to the store.
    pub fn apply(&self, patch: &SettingsPatch) -> AppResult<UserSettings> {
        let mut next = self.clone();
        patch.write_into(&mut next)?;
        if let Some(preferences) = &patch.client_preferences {
            check_client_preferences(preferences)?;
        }
        check_consistency(&next, patch)?;
        Ok(next)
    }

    /// The voice configuration clients receive in the handshake `config` and use to run a
    /// session: exactly the names of PROTOCOL.md section 5.5.
    pub fn voice_config(&self) -> Value {
        json!({
            "cooldownMs": self.cooldown_ms,
            "mergeWithinMs": self.merge_within_ms,
            "minSpeechMs": self.min_speech_ms,
            "maxSpeechMs": self.max_speech_ms,
            "autoPauseVideo": self.auto_pause_video,
            "autoResumeDelayMs": self.auto_resume_delay_ms,
            "idleStopMs": self.idle_stop_ms,
            "heartbeatIntervalMs": self.heartbeat_interval_ms,
            "heartbeatTimeoutMs": self.heartbeat_timeout_ms,
            "maxRestarts": self.max_restarts,
            "restartWindowMs": self.restart_window_ms,
            "sessionTtlMs": self.session_ttl_ms,
            "startThreshold": self.start_threshold,
            "endThreshold": self.end_threshold,
            "minSilenceMs": self.min_silence_ms,
            "preRollMs": self.pre_roll_ms,
        })
    }
}

/// Generates [`SettingsPatch`] and its range checks from one table of
/// `field: "graphqlName", type, min..=max;` rows (the range is optional).
macro_rules! settings_patch {
    ($($field:ident: $name:literal, $ty:ty $(, $min:literal ..= $max:literal)?;)*) => {
        /// A partial update of [`UserSettings`]: a field left `None` keeps its value. Also the
        /// settings fields of the GraphQL `UpdateSettingsInput`.
        #[derive(Debug, Clone, Default, PartialEq, InputObject)]
        pub struct SettingsPatch {
            $(
                #[doc = concat!(
                    "New `", $name, "`; omit to keep it.",
                    $(" Allowed: ", stringify!($min), " to ", stringify!($max), ".",)?
                )]
                #[graphql(name = $name)]
                pub $field: Option<$ty>,
            )*
        }

        impl SettingsPatch {
            /// Whether this patch sets the setting GraphQL calls `name`.
            fn sets(&self, name: &str) -> bool {
                match name {
                    $($name => self.$field.is_some(),)*
                    _ => false,
                }
            }

            /// Copies every given field into `settings`, refusing values outside their range.
            fn write_into(&self, settings: &mut UserSettings) -> AppResult<()> {
                $(
                    if let Some(value) = &self.$field {
                        $(check_range($name, *value, $min, $max)?;)?
                        settings.$field = value.clone();
                    }
                )*
                Ok(())
            }
        }

        /// (Rust field, GraphQL name) of every patchable setting, for tests that keep the table
        /// honest.
        #[cfg(test)]
        const PATCH_FIELDS: &[(&str, &str)] = &[$((stringify!($field), $name)),*];
    };
}

settings_patch! {
    cooldown_ms: "cooldownMs", i32, 0..=10000;
    merge_within_ms: "mergeWithinMs", i32, 0..=5000;
    min_speech_ms: "minSpeechMs", i32, 0..=5000;
    max_speech_ms: "maxSpeechMs", i32, 1000..=120000;
    auto_pause_video: "autoPauseVideo", bool;
    auto_resume_delay_ms: "autoResumeDelayMs", i32, 0..=10000;
    idle_stop_ms: "idleStopMs", i32, 10000..=3600000;
    heartbeat_interval_ms: "heartbeatIntervalMs", i32, 1000..=60000;
    heartbeat_timeout_ms: "heartbeatTimeoutMs", i32, 2000..=300000;
    max_restarts: "maxRestarts", i32, 0..=20;
    restart_window_ms: "restartWindowMs", i32, 1000..=3600000;
    session_ttl_ms: "sessionTtlMs", i32, 60000..=86400000;
    start_threshold: "startThreshold", f64, 0.0..=1.0;
    end_threshold: "endThreshold", f64, 0.0..=1.0;
    min_silence_ms: "minSilenceMs", i32, 0..=5000;
    pre_roll_ms: "preRollMs", i32, 0..=2000;
    min_confidence: "minConfidence", f64, 0.0..=1.0;
    preferred_protocol_version: "preferredProtocolVersion", i32, 1..=2;
    client_preferences: "clientPreferences", Value;
}

/// Refuses `value` outside `min..=max`. Written so that NaN fails too.
fn check_range<T: PartialOrd + Display>(name: &str, value: T, min: T, max: T) -> AppResult<()> {
    if min <= value && value <= max {
        Ok(())
    } else {
        Err(AppError::bad_input(
            name,
            format!("{name} must be between {min} and {max} (got {value})"),
        ))
    }
}

fn check_client_preferences(preferences: &Value) -> AppResult<()> {
    let field = "clientPreferences";
    if !preferences.is_object() {
        return Err(AppError::bad_input(
            field,
            format!("{field} must be a JSON object"),
        ));
    }
    let size = preferences.to_string().len();
    if size > MAX_CLIENT_PREFERENCES_BYTES {
        return Err(AppError::bad_input(
            field,
            format!(
                "{field} must be at most {MAX_CLIENT_PREFERENCES_BYTES} bytes as JSON (got {size})"
            ),
        ));
    }
    Ok(())
}

/// A rule between two settings that must hold after every update.
struct Consistency {
    /// GraphQL names of the two settings, in the order `rule` reads them.
    fields: [&'static str; 2],
    rule: &'static str,
    values: fn(&UserSettings) -> [f64; 2],
    holds: fn([f64; 2]) -> bool,
}

const CONSISTENCY: [Consistency; 4] = [
    Consistency {
        fields: ["mergeWithinMs", "cooldownMs"],
        rule: "mergeWithinMs must not exceed cooldownMs",
        values: |s| [s.merge_within_ms.into(), s.cooldown_ms.into()],
        holds: |[merge, cooldown]| merge <= cooldown,
    },
    Consistency {
        fields: ["minSpeechMs", "maxSpeechMs"],
        rule: "minSpeechMs must be less than maxSpeechMs",
        values: |s| [s.min_speech_ms.into(), s.max_speech_ms.into()],
        holds: |[min, max]| min < max,
    },
    Consistency {
        fields: ["endThreshold", "startThreshold"],
        rule: "endThreshold must be less than startThreshold",
        values: |s| [s.end_threshold, s.start_threshold],
        holds: |[end, start]| end < start,
    },
    Consistency {
        fields: ["heartbeatTimeoutMs", "heartbeatIntervalMs"],
        rule: "heartbeatTimeoutMs must be at least twice heartbeatIntervalMs",
        values: |s| {
            [
                s.heartbeat_timeout_ms.into(),
                s.heartbeat_interval_ms.into(),
            ]
        },
        holds: |[timeout, interval]| timeout >= 2.0 * interval,
    },
];

/// Checks the rules between settings on the result of a patch. The error names a field the
/// patch set, since that is the one the caller can change.
fn check_consistency(settings: &UserSettings, patch: &SettingsPatch) -> AppResult<()> {
    for Consistency {
        fields,
        rule,
        values,
        holds,
    } in &CONSISTENCY
    {
        let [a, b] = values(settings);
        if !holds([a, b]) {
            let blamed = fields
                .iter()
                .copied()
                .find(|name| patch.sets(name))
                .unwrap_or(fields[0]);
            return Err(AppError::bad_input(
                blamed,
                format!("{rule} (would be {} = {a}, {} = {b})", fields[0], fields[1]),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `field` and message of a rejected patch.
    fn rejection(patch: SettingsPatch) -> (String, String) {
        match UserSettings::default().apply(&patch) {
            Err(AppError::BadUserInput {
                field: Some(field),
                message,
            }) => (field, message),
            other => panic!("expected BAD_USER_INPUT with a field, got {other:?}"),
        }
    }

    #[test]
    fn defaults_are_those_of_the_protocol() {
        let config = UserSettings::default().voice_config();
        let expected = json!({
            "cooldownMs": 500, "mergeWithinMs": 250, "minSpeechMs": 200, "maxSpeechMs": 15000,
            "autoPauseVideo": true, "autoResumeDelayMs": 500, "idleStopMs": 180000,
            "heartbeatIntervalMs": 5000, "heartbeatTimeoutMs": 15000, "maxRestarts": 3,
            "restartWindowMs": 60000, "sessionTtlMs": 600000, "startThreshold": 0.6,
            "endThreshold": 0.35, "minSilenceMs": 650, "preRollMs": 500,
        });
        assert_eq!(config, expected);
        let defaults = UserSettings::default();
        assert_eq!(defaults.min_confidence, 0.3);
        assert_eq!(defaults.preferred_protocol_version, 2);
        assert_eq!(defaults.client_preferences, json!({}));
        assert_eq!(defaults.version, 1);
        assert_eq!(defaults.updated_at, None);
    }

    #[test]
    fn defaults_pass_their_own_validation() {
        let defaults = UserSettings::default();
        assert_eq!(
            defaults.apply(&SettingsPatch::default()).ok(),
            Some(defaults)
        );
    }

    #[test]
    fn voice_config_values_match_the_graphql_fields() {
        let settings = UserSettings {
            cooldown_ms: 900,
            start_threshold: 0.7,
            ..UserSettings::default()
        };
        let all = serde_json::to_value(&settings).unwrap_or_default();
        let config = settings.voice_config();
        let config = config.as_object().map(|map| map.len());
        assert_eq!(config, Some(16));
        for (name, value) in settings.voice_config().as_object().into_iter().flatten() {
            assert_eq!(all.get(name), Some(value), "{name}");
        }
    }

    #[test]
    fn the_patch_table_uses_the_graphql_names() {
        let settings = serde_json::to_value(UserSettings::default()).unwrap_or_default();
        for (field, name) in PATCH_FIELDS {
            let mut camel = String::new();
            let mut upper = false;
            for c in field.chars() {
                if c == '_' {
                    upper = true;
                } else if upper {
                    camel.extend(c.to_uppercase());
                    upper = false;
                } else {
                    camel.push(c);
                }
            }
            assert_eq!(&camel, name);
            assert!(
                settings.get(*name).is_some(),
                "{name} is not a UserSettings field"
            );
        }
        // Everything but version and updatedAt can be patched.
        assert_eq!(
            PATCH_FIELDS.len() + 2,
            settings.as_object().map_or(0, |m| m.len())
        );
    }

    #[test]
    fn a_partial_patch_keeps_the_other_fields() {
        let before = UserSettings::default();
        let patch = SettingsPatch {
            cooldown_ms: Some(800),
            auto_pause_video: Some(false),
            ..SettingsPatch::default()
        };
        let after = before.apply(&patch).ok();
        let expected = UserSettings {
            cooldown_ms: 800,
            auto_pause_video: false,
            ..before.clone()
        };
        assert_eq!(after, Some(expected));
    }

    #[test]
    fn apply_leaves_version_and_updated_at_alone() {
        let before = UserSettings {
            version: 7,
            updated_at: Some(Utc::now()),
            ..UserSettings::default()
        };
        let patch = SettingsPatch {
            max_restarts: Some(5),
            ..SettingsPatch::default()
        };
        let after = before.apply(&patch);
        assert_eq!(after.as_ref().map(|s| s.version).ok(), Some(7));
        assert_eq!(after.map(|s| s.updated_at).ok(), Some(before.updated_at));
    }

    #[test]
    fn values_outside_their_range_are_refused_with_the_range() {
        let (field, message) = rejection(SettingsPatch {
            cooldown_ms: Some(10001),
            ..SettingsPatch::default()
        });
        assert_eq!(field, "cooldownMs");
        assert_eq!(
            message,
            "cooldownMs must be between 0 and 10000 (got 10001)"
        );

        let (field, message) = rejection(SettingsPatch {
            idle_stop_ms: Some(9999),
            ..SettingsPatch::default()
        });
        assert_eq!(field, "idleStopMs");
        assert!(message.contains("between 10000 and 3600000"), "{message}");

        let (field, _) = rejection(SettingsPatch {
            preferred_protocol_version: Some(3),
            ..SettingsPatch::default()
        });
        assert_eq!(field, "preferredProtocolVersion");
    }

    #[test]
    fn range_bounds_are_inclusive() {
        let patch = SettingsPatch {
            max_restarts: Some(20),
            pre_roll_ms: Some(0),
            min_confidence: Some(1.0),
            ..SettingsPatch::default()
        };
        assert!(UserSettings::default().apply(&patch).is_ok());
    }

    #[test]
    fn thresholds_must_be_finite_numbers_between_0_and_1() {
        for bad in [f64::NAN, f64::INFINITY, -0.1, 1.5] {
            let (field, message) = rejection(SettingsPatch {
                min_confidence: Some(bad),
                ..SettingsPatch::default()
            });
            assert_eq!(field, "minConfidence");
            assert!(message.contains("between 0 and 1"), "{message}");
        }
        let (field, _) = rejection(SettingsPatch {
            start_threshold: Some(f64::NAN),
            ..SettingsPatch::default()
        });
        assert_eq!(field, "startThreshold");
    }

    #[test]
    fn client_preferences_must_be_a_small_object() {
        let (field, message) = rejection(SettingsPatch {
            client_preferences: Some(json!([1, 2])),
            ..SettingsPatch::default()
        });
        assert_eq!(field, "clientPreferences");
        assert!(message.contains("object"), "{message}");

        let (field, message) = rejection(SettingsPatch {
            client_preferences: Some(json!({ "theme": "x".repeat(MAX_CLIENT_PREFERENCES_BYTES) })),
            ..SettingsPatch::default()
        });
        assert_eq!(field, "clientPreferences");
        assert!(message.contains("16384 bytes"), "{message}");

        let fine = SettingsPatch {
            client_preferences: Some(json!({ "theme": "dark" })),
            ..SettingsPatch::default()
        };
        let applied = UserSettings::default().apply(&fine).ok();
        assert_eq!(
            applied.map(|s| s.client_preferences),
            Some(json!({ "theme": "dark" }))
        );
    }

    #[test]
    fn rules_between_settings_are_enforced() {
        let cases = [
            (
                SettingsPatch {
                    merge_within_ms: Some(600),
                    ..SettingsPatch::default()
                },
                "mergeWithinMs",
            ),
            (
                SettingsPatch {
                    min_speech_ms: Some(3000),
                    max_speech_ms: Some(3000),
                    ..SettingsPatch::default()
                },
                "minSpeechMs",
            ),
            (
                SettingsPatch {
                    end_threshold: Some(0.6),
                    ..SettingsPatch::default()
                },
                "endThreshold",
            ),
            (
                SettingsPatch {
                    heartbeat_timeout_ms: Some(9999),
                    ..SettingsPatch::default()
                },
                "heartbeatTimeoutMs",
            ),
        ];
        for (patch, expected_field) in cases {
            let (field, message) = rejection(patch);
            assert_eq!(field, expected_field);
            assert!(message.starts_with(expected_field), "{message}");
        }
    }

    #[test]
    fn a_broken_rule_blames_the_field_the_patch_set() {
        // Lowering the cooldown below the default merge window: the cooldown is at fault.
        let (field, message) = rejection(SettingsPatch {
            cooldown_ms: Some(100),
            ..SettingsPatch::default()
        });
        assert_eq!(field, "cooldownMs");
        assert!(
            message.contains("mergeWithinMs = 250, cooldownMs = 100"),
            "{message}"
        );

        let (field, _) = rejection(SettingsPatch {
            heartbeat_interval_ms: Some(10000),
            ..SettingsPatch::default()
        });
        assert_eq!(field, "heartbeatIntervalMs");
    }

    #[test]
    fn a_patch_that_fixes_both_sides_of_a_rule_is_accepted() {
        let patch = SettingsPatch {
            heartbeat_interval_ms: Some(20000),
            heartbeat_timeout_ms: Some(40000),
            ..SettingsPatch::default()
        };
        let applied = UserSettings::default().apply(&patch).ok();
        assert_eq!(applied.map(|s| s.heartbeat_timeout_ms), Some(40000));
    }
}
