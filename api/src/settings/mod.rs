//! A user's settings: the voice timers and thresholds and the transcription settings of
//! PROTOCOL.md section 5.5, the note confidence floor, the preferred protocol version and
//! free-form client preferences.
//!
//! This module is the pure core: [`UserSettings`] with its defaults, [`SettingsPatch`] and
//! [`UserSettings::apply`], which validates a patch against the allowed ranges and the rules
//! between settings. Read it, then `store` (one database row per user, created on first read,
//! written with optimistic concurrency), then `graphql`.
//!
//! Every allowed range is written once, in the `settings_patch!` table below. The table
//! generates the patch type (the fields of the GraphQL `UpdateSettingsInput`, whose
//! descriptions state the range), the range checks and their error messages, so the three
//! cannot disagree. Settings that are not numbers name the function that checks them.

pub mod cache;
pub mod graphql;
pub mod store;

use std::fmt::Display;

use async_graphql::{Enum, InputObject, MaybeUndefined, SimpleObject};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use url::Url;

use crate::error::{AppError, AppResult};

/// Largest `clientPreferences` accepted, in bytes of compact JSON.
pub const MAX_CLIENT_PREFERENCES_BYTES: usize = 16 * 1024;

/// Longest `transcriptionEndpoint`, in characters.
pub const MAX_TRANSCRIPTION_ENDPOINT_CHARS: usize = 500;

/// Longest `transcriptionModel`, in characters (after trimming).
pub const MAX_TRANSCRIPTION_MODEL_CHARS: usize = 100;

/// The model a new user's devices transcribe with.
pub const DEFAULT_TRANSCRIPTION_MODEL: &str = "whisper-base.en";

/// Where the user's devices turn speech into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Enum)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TranscriptionMode {
    /// In the browser, on the device that hears the speech.
    #[default]
    OnDevice,
    /// By the OpenAI-compatible API at `transcriptionEndpoint`, called from the device (which
    /// keeps the API key, if one is needed).
    Endpoint,
}

impl TranscriptionMode {
    /// As stored in `user_settings.transcription_mode`.
    pub fn as_str(self) -> &'static str {
        match self {
            TranscriptionMode::OnDevice => "on_device",
            TranscriptionMode::Endpoint => "endpoint",
        }
    }

    pub fn parse(stored: &str) -> AppResult<TranscriptionMode> {
        match stored {
            "on_device" => Ok(TranscriptionMode::OnDevice),
            "endpoint" => Ok(TranscriptionMode::Endpoint),
            other => Err(AppError::Internal(anyhow::anyhow!(
                "unknown stored transcription mode {other:?}"
            ))),
        }
    }
}

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
    /// Where the user's devices turn speech into text.
    pub transcription_mode: TranscriptionMode,
    /// Base URL of the OpenAI-compatible API used in `ENDPOINT` mode (requests go to
    /// `<base>/audio/transcriptions`); null when none is set.
    pub transcription_endpoint: Option<String>,
    /// The transcription model to use, on the device or at the endpoint.
    pub transcription_model: String,
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
            transcription_mode: TranscriptionMode::OnDevice,
            transcription_endpoint: None,
            transcription_model: DEFAULT_TRANSCRIPTION_MODEL.to_owned(),
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
        check_consistency(&next, patch)?;
        check_transcription(&next)?;
        Ok(next)
    }

    /// The voice configuration clients receive in the handshake `config` and use to run a
    /// session, transcription included: exactly the names of PROTOCOL.md section 5.5.
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
            "transcriptionMode": self.transcription_mode,
            "transcriptionEndpoint": self.transcription_endpoint,
            "transcriptionModel": self.transcription_model,
        })
    }
}

/// Generates [`SettingsPatch`] and its checks from one table of rows, each with optional doc
/// comments that describe the input field. Under `values`:
///
/// - `field: "graphqlName", Type, min..=max;` a setting kept within a range;
/// - `field: "graphqlName", Type => check;` a setting that `check(name, value)` refuses or
///   normalises;
/// - `field: "graphqlName", Type;` a setting that takes any value of its type.
///
/// Under `nullable`, `field: "graphqlName", Type => check;` is an optional setting, which
/// `null` clears.
macro_rules! settings_patch {
    (
        values {
            $(
                $(#[doc = $doc:literal])*
                $field:ident: $name:literal, $ty:ty $(, $min:literal ..= $max:literal)? $(=> $check:path)?;
            )*
        }
        nullable {
            $(
                $(#[doc = $ndoc:literal])*
                $nfield:ident: $nname:literal, $nty:ty => $ncheck:path;
            )*
        }
    ) => {
        /// A partial update of [`UserSettings`]: a field left out keeps its value. Also the
        /// settings fields of the GraphQL `UpdateSettingsInput`.
        #[derive(Debug, Clone, Default, PartialEq, InputObject)]
        pub struct SettingsPatch {
            $(
                #[doc = concat!(
                    "New `", $name, "`; omit to keep it.",
                    $(" Allowed: ", stringify!($min), " to ", stringify!($max), ".",)?
                )]
                $(#[doc = $doc])*
                #[graphql(name = $name)]
                pub $field: Option<$ty>,
            )*
            $(
                #[doc = concat!("New `", $nname, "`; omit to keep it, null to clear it.")]
                $(#[doc = $ndoc])*
                #[graphql(name = $nname)]
                pub $nfield: MaybeUndefined<$nty>,
            )*
        }

        impl SettingsPatch {
            /// Whether this patch sets (or clears) the setting GraphQL calls `name`.
            fn sets(&self, name: &str) -> bool {
                match name {
                    $($name => self.$field.is_some(),)*
                    $($nname => !self.$nfield.is_undefined(),)*
                    _ => false,
                }
            }

            /// Copies every given field into `settings`, refusing values outside their range
            /// or refused by their check.
            fn write_into(&self, settings: &mut UserSettings) -> AppResult<()> {
                $(
                    if let Some(value) = &self.$field {
                        $(check_range($name, *value, $min, $max)?;)?
                        let value = value.clone();
                        $(let value = $check($name, value)?;)?
                        // Whole numbers arrive as i64; within their range they fit the
                        // setting's i32.
                        settings.$field = value.try_into().map_err(|_| {
                            AppError::bad_input($name, concat!($name, " is out of range"))
                        })?;
                    }
                )*
                $(
                    match &self.$nfield {
                        MaybeUndefined::Undefined => {}
                        MaybeUndefined::Null => settings.$nfield = None,
                        MaybeUndefined::Value(value) => {
                            settings.$nfield = Some($ncheck($nname, value.clone())?);
                        }
                    }
                )*
                Ok(())
            }
        }

        /// (Rust field, GraphQL name) of every patchable setting, for tests that keep the table
        /// honest.
        #[cfg(test)]
        const PATCH_FIELDS: &[(&str, &str)] = &[
            $((stringify!($field), $name),)*
            $((stringify!($nfield), $nname),)*
        ];

        /// (GraphQL name, type, min, max) of every setting with a range.
        #[cfg(test)]
        const RANGES: &[(&str, &str, f64, f64)] =
            &[$($(($name, stringify!($ty), $min as f64, $max as f64),)?)*];
    };
}

// Whole numbers are read as i64 (still the GraphQL `Int`), so that a value beyond 32 bits is
// refused like any other out-of-range value: with its field and its range, not as a bare type
// error that names neither.
settings_patch! {
    values {
        cooldown_ms: "cooldownMs", i64, 0..=10000;
        merge_within_ms: "mergeWithinMs", i64, 0..=5000;
        min_speech_ms: "minSpeechMs", i64, 0..=5000;
        max_speech_ms: "maxSpeechMs", i64, 1000..=120000;
        auto_pause_video: "autoPauseVideo", bool;
        auto_resume_delay_ms: "autoResumeDelayMs", i64, 0..=10000;
        idle_stop_ms: "idleStopMs", i64, 10000..=3600000;
        heartbeat_interval_ms: "heartbeatIntervalMs", i64, 1000..=60000;
        heartbeat_timeout_ms: "heartbeatTimeoutMs", i64, 2000..=300000;
        max_restarts: "maxRestarts", i64, 0..=20;
        restart_window_ms: "restartWindowMs", i64, 1000..=3600000;
        session_ttl_ms: "sessionTtlMs", i64, 60000..=86400000;
        start_threshold: "startThreshold", f64, 0.0..=1.0;
        end_threshold: "endThreshold", f64, 0.0..=1.0;
        min_silence_ms: "minSilenceMs", i64, 0..=5000;
        pre_roll_ms: "preRollMs", i64, 0..=2000;
        min_confidence: "minConfidence", f64, 0.0..=1.0;
        preferred_protocol_version: "preferredProtocolVersion", i64, 1..=2;
        /// A JSON object of at most 16384 bytes.
        client_preferences: "clientPreferences", Value => checked_client_preferences;
        /// `ENDPOINT` needs a `transcriptionEndpoint`, stored or given in the same update.
        transcription_mode: "transcriptionMode", TranscriptionMode;
        /// Trimmed; 1 to 100 characters.
        transcription_model: "transcriptionModel", String => checked_transcription_model;
    }
    nullable {
        /// An absolute http or https URL of at most 500 characters, without credentials;
        /// needed while `transcriptionMode` is `ENDPOINT`.
        transcription_endpoint: "transcriptionEndpoint", String => checked_transcription_endpoint;
    }
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

fn checked_client_preferences(field: &str, preferences: Value) -> AppResult<Value> {
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
    Ok(preferences)
}

/// The model name, trimmed: 1 to 100 characters.
fn checked_transcription_model(field: &str, model: String) -> AppResult<String> {
    let model = model.trim();
    let length = model.chars().count();
    if !(1..=MAX_TRANSCRIPTION_MODEL_CHARS).contains(&length) {
        return Err(AppError::bad_input(
            field,
            format!(
                "{field} must be 1 to {MAX_TRANSCRIPTION_MODEL_CHARS} characters (got {length})"
            ),
        ));
    }
    Ok(model.to_owned())
}

/// The endpoint, trimmed: an absolute http or https URL of at most 500 characters, kept as
/// written (clients append `/audio/transcriptions`). Credentials in the URL are refused: an
/// API key stays on the device that uses it (PROTOCOL.md 5.5), never in the server's store.
fn checked_transcription_endpoint(field: &str, endpoint: String) -> AppResult<String> {
    let endpoint = endpoint.trim();
    let length = endpoint.chars().count();
    if length > MAX_TRANSCRIPTION_ENDPOINT_CHARS {
        return Err(AppError::bad_input(
            field,
            format!(
                "{field} must be at most {MAX_TRANSCRIPTION_ENDPOINT_CHARS} characters (got {length})"
            ),
        ));
    }
    let url = Url::parse(endpoint).ok().filter(|url| {
        matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty())
    });
    let Some(url) = url else {
        return Err(AppError::bad_input(
            field,
            format!(
                "{field} must be an absolute http or https URL, such as \
                 http://127.0.0.1:8000/v1 (or null for none)"
            ),
        ));
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(AppError::bad_input(
            field,
            format!("{field} must not contain credentials: the API key stays on the device"),
        ));
    }
    Ok(endpoint.to_owned())
}

/// `ENDPOINT` mode needs an endpoint to call. Blames the endpoint: it is what is missing,
/// whether the patch chose the mode or cleared the endpoint.
fn check_transcription(settings: &UserSettings) -> AppResult<()> {
    if settings.transcription_mode == TranscriptionMode::Endpoint
        && settings.transcription_endpoint.is_none()
    {
        let field = "transcriptionEndpoint";
        return Err(AppError::bad_input(
            field,
            format!("{field} must be set to use transcriptionMode ENDPOINT"),
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
            "transcriptionMode": "ON_DEVICE", "transcriptionEndpoint": null,
            "transcriptionModel": "whisper-base.en",
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
        assert_eq!(config, Some(19));
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

    /// A patch as GraphQL would read `input` (the settings fields of `UpdateSettingsInput`).
    fn patch(input: Value) -> SettingsPatch {
        match <SettingsPatch as async_graphql::InputType>::parse(Some(
            async_graphql::Value::from_json(input.clone()).unwrap_or_default(),
        )) {
            Ok(patch) => patch,
            Err(err) => panic!(
                "{input} is not a SettingsPatch: {}",
                err.into_server_error(Default::default()).message
            ),
        }
    }

    #[test]
    fn every_range_error_names_its_field_and_its_range() {
        assert_eq!(RANGES.len(), 17, "every number has a range");
        for (name, ty, min, max) in RANGES {
            let whole = *ty == "i64";
            let step = if whole { 1.0 } else { 0.25 };
            for bad in [min - step, max + step] {
                let value = if whole { json!(bad as i64) } else { json!(bad) };
                let (field, message) = rejection(patch(json!({ *name: value })));
                assert_eq!(&field, name);
                let range = format!("{name} must be between {min} and {max} (got ");
                assert!(message.starts_with(&range), "{message}");
            }
        }
        // Beyond 32 bits too: the same message, not a bare type error.
        let (field, message) = rejection(patch(json!({ "cooldownMs": 3_000_000_000i64 })));
        assert_eq!(field, "cooldownMs");
        assert_eq!(
            message,
            "cooldownMs must be between 0 and 10000 (got 3000000000)"
        );
    }

    #[test]
    fn transcription_defaults_to_the_device_with_whisper_base() {
        let defaults = UserSettings::default();
        assert_eq!(defaults.transcription_mode, TranscriptionMode::OnDevice);
        assert_eq!(defaults.transcription_endpoint, None);
        assert_eq!(defaults.transcription_model, "whisper-base.en");
    }

    #[test]
    fn the_endpoint_mode_needs_an_endpoint() {
        let (field, message) = rejection(patch(json!({ "transcriptionMode": "ENDPOINT" })));
        assert_eq!(field, "transcriptionEndpoint");
        assert!(message.contains("ENDPOINT"), "{message}");

        let with_endpoint = patch(json!({
            "transcriptionMode": "ENDPOINT",
            "transcriptionEndpoint": " http://127.0.0.1:8000/v1 ",
        }));
        let applied = UserSettings::default().apply(&with_endpoint);
        let Ok(applied) = applied else {
            panic!("refused: {applied:?}");
        };
        assert_eq!(applied.transcription_mode, TranscriptionMode::Endpoint);
        assert_eq!(
            applied.transcription_endpoint.as_deref(),
            Some("http://127.0.0.1:8000/v1"),
            "trimmed, kept as written"
        );

        // Clearing the endpoint while it is in use is refused; after leaving the mode, fine.
        match applied.apply(&patch(json!({ "transcriptionEndpoint": null }))) {
            Err(AppError::BadUserInput { field, .. }) => {
                assert_eq!(field.as_deref(), Some("transcriptionEndpoint"));
            }
            other => panic!("expected BAD_USER_INPUT, got {other:?}"),
        }
        let cleared = applied.apply(&patch(json!({
            "transcriptionMode": "ON_DEVICE",
            "transcriptionEndpoint": null,
        })));
        assert_eq!(cleared.map(|s| s.transcription_endpoint).ok(), Some(None));
        // An endpoint left out is kept.
        let kept = applied.apply(&patch(json!({ "transcriptionModel": "whisper-1" })));
        assert_eq!(
            kept.map(|s| s.transcription_endpoint).ok(),
            Some(Some("http://127.0.0.1:8000/v1".to_owned()))
        );
    }

    #[test]
    fn the_endpoint_is_an_absolute_http_url_without_credentials() {
        let long = format!("https://example.com/{}", "a".repeat(481));
        for bad in [
            "",
            "   ",
            "not a url",
            "/v1",
            "127.0.0.1:8000/v1",
            "ftp://example.com/v1",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "https://user:secret@example.com/v1",
            long.as_str(),
        ] {
            let (field, message) = rejection(patch(json!({ "transcriptionEndpoint": bad })));
            assert_eq!(field, "transcriptionEndpoint", "{bad}");
            assert!(
                message.starts_with("transcriptionEndpoint must"),
                "{message}"
            );
        }
        assert_eq!(long.chars().count(), 501);
        let (_, message) = rejection(patch(json!({ "transcriptionEndpoint": long })));
        assert!(message.contains("at most 500 characters"), "{message}");
        for good in [
            "http://127.0.0.1:8000/v1",
            "https://api.openai.com/v1",
            "http://localhost:9000",
            &format!("https://example.com/{}", "a".repeat(480)),
        ] {
            let applied =
                UserSettings::default().apply(&patch(json!({ "transcriptionEndpoint": good })));
            assert_eq!(
                applied.map(|s| s.transcription_endpoint).ok(),
                Some(Some(good.to_owned())),
                "{good}"
            );
        }
    }

    #[test]
    fn the_model_is_trimmed_and_1_to_100_characters() {
        let applied = UserSettings::default()
            .apply(&patch(json!({ "transcriptionModel": "  whisper-small  " })));
        assert_eq!(
            applied.map(|s| s.transcription_model).ok().as_deref(),
            Some("whisper-small")
        );
        let longest = "m".repeat(100);
        let applied =
            UserSettings::default().apply(&patch(json!({ "transcriptionModel": longest })));
        assert_eq!(applied.map(|s| s.transcription_model).ok(), Some(longest));
        for bad in [String::new(), "   ".to_owned(), "m".repeat(101)] {
            let (field, message) = rejection(patch(json!({ "transcriptionModel": bad })));
            assert_eq!(field, "transcriptionModel");
            assert!(message.contains("1 to 100 characters"), "{message}");
        }
    }

    #[test]
    fn transcription_modes_are_stored_by_name() {
        for mode in [TranscriptionMode::OnDevice, TranscriptionMode::Endpoint] {
            assert_eq!(TranscriptionMode::parse(mode.as_str()).ok(), Some(mode));
        }
        assert!(TranscriptionMode::parse("cloud").is_err());
    }
}
