//! SeaORM entities of the Lossy server, one module per table.
//!
//! The schema itself is created by the `lossy-migration` crate; these
//! entities mirror it column for column. Role, kind, outcome and reason
//! columns are plain strings here: the API crate maps them to enums.
//!
//! - [`users`]: accounts (email stored lowercased, argon2 password hash,
//!   role `user` | `admin`).
//! - [`web_sessions`]: browser sessions, keyed by the sha-256 of the
//!   session cookie.
//! - [`devices`]: extension/clients registered by a user, holding the hash
//!   of the current rotating refresh token.
//! - [`spent_refresh_tokens`]: refresh tokens already rotated away; one
//!   presented again means the token was stolen.
//! - [`auth_events`]: authentication audit log (no foreign keys, so it
//!   survives the deletion of the user or device it names).
//! - [`user_settings`]: per-user voice/VAD/session tuning, one row per user.
//! - [`feature_flags`]: named flags with a default and a rollout percentage.
//! - [`feature_flag_overrides`]: per-user overrides of a feature flag.
//! - [`voice_sessions`]: server-owned voice sessions, with the state
//!   machine's snapshot for crash recovery.
//! - [`voice_session_transitions`]: the log of every session state change.
//! - [`telemetry_events`]: client and server telemetry, unique per
//!   (client key, event id); no foreign keys.
//! - [`videos`]: each user's videos, unique per (user, platform, external id).
//! - [`notes`]: structured notes with soft deletion and a version.
//! - [`note_events`]: the log of changes to a user's notes, by offset;
//!   [`note_event_offsets`]: each user's last offset.
//! - [`note_quality_decisions`]: every decision of the quality gate.
//! - [`note_refinements`]: each note's refinement by the LLM (a durable job);
//!   [`note_posts`]: each note's latest posting to an integration.
//! - [`webhooks`]: each user's webhook, where notes are posted.
//! - [`quality_adjustments`]: learned threshold changes per user, platform and
//!   category.
//! - [`video_contexts`]: which tab owns each user's voice capture.
//!
//! [`prelude`] re-exports every `Entity` under a table-like name
//! (`Users`, `WebSessions`, ...).

pub mod auth_events;
pub mod devices;
pub mod feature_flag_overrides;
pub mod feature_flags;
pub mod metric_rollups;
pub mod note_event_offsets;
pub mod note_events;
pub mod note_posts;
pub mod note_quality_decisions;
pub mod note_refinements;
pub mod notes;
pub mod prelude;
pub mod quality_adjustments;
pub mod spent_refresh_tokens;
pub mod telemetry_events;
pub mod user_settings;
pub mod users;
pub mod video_contexts;
pub mod videos;
pub mod voice_session_transitions;
pub mod voice_sessions;
pub mod web_sessions;
pub mod webhooks;
