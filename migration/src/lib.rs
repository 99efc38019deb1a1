//! Schema migrations of the Lossy server.
//!
//! Every migration is written with SeaORM's schema and query builders, so
//! the same code runs on SQLite and PostgreSQL. Run them with
//! [`Migrator::up`] (see [`MigratorTrait`]); each migration lives in its own
//! module:
//!
//! - [`m20261123_000001_foundation`]: users, sessions, devices, refresh
//!   token rotation, auth audit log, user settings and feature flags, plus
//!   the five initial flags.
//! - [`m20261124_000001_voice_and_telemetry`]: voice sessions with their
//!   transition log, and telemetry events (clients' and the server's own).
//! - [`m20261124_000002_videos`]: each user's videos, unique per platform
//!   and external id.
//! - [`m20261124_000003_notes`]: notes, quality-gate decisions and
//!   adjustments, and each user's video context.
//! - [`m20261202_000001_transcription_settings`]: the transcription settings
//!   (mode, endpoint, model) of each user.
//! - [`m20261202_000002_note_events`]: the note event log with each user's
//!   offsets, for replay and catch-up.
//! - [`m20261203_000001_note_jobs`]: what the durable jobs keep about notes
//!   (refinements, postings) and each user's webhook.
//! - [`m20261204_000001_webhook_auto_post`]: a webhook's rule for posting
//!   notes by itself (categories, minimum confidence).
//! - [`m20261205_000001_metric_rollups`]: the per-minute analytics rollups.
//! - [`m20261205_000002_user_disabled`]: when an admin disabled an account.
//! - [`m20261205_000003_telemetry_filters`]: indexes for the admin explorers' filters.

pub use sea_orm_migration::prelude::*;

pub mod m20261123_000001_foundation;
pub mod m20261124_000001_voice_and_telemetry;
pub mod m20261124_000002_videos;
pub mod m20261124_000003_notes;
pub mod m20261202_000001_transcription_settings;
pub mod m20261202_000002_note_events;
pub mod m20261203_000001_note_jobs;
pub mod m20261204_000001_webhook_auto_post;
pub mod m20261205_000001_metric_rollups;
pub mod m20261205_000002_user_disabled;
pub mod m20261205_000003_telemetry_filters;
pub mod m20261206_000001_voice_session_leases;

/// All migrations of the server, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261124_000001_voice_and_telemetry::Migration),
            Box::new(m20261124_000002_videos::Migration),
            Box::new(m20261124_000003_notes::Migration),
            Box::new(m20261202_000001_transcription_settings::Migration),
            Box::new(m20261202_000002_note_events::Migration),
            Box::new(m20261203_000001_note_jobs::Migration),
            Box::new(m20261204_000001_webhook_auto_post::Migration),
            Box::new(m20261205_000001_metric_rollups::Migration),
            Box::new(m20261205_000002_user_disabled::Migration),
            Box::new(m20261205_000003_telemetry_filters::Migration),
            Box::new(m20261206_000001_voice_session_leases::Migration),
        ]
    }
}
