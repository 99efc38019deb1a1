//! Telemetry (PROTOCOL.md section 10): what clients report through `ingestTelemetry`, and what
//! the server records about itself (voice transitions, ignored events, resets, errors,
//! restarts), both in `telemetry_events`.
//!
//! Read in this order:
//!
//! - `recorder`: [`TelemetryRecorder`], the server's own events. `record` is a plain function
//!   that never waits: events go through a bounded queue to one writer task that inserts them
//!   in batches, and are dropped (and counted) when the queue is full. Recording never slows a
//!   session down.
//! - `ingest`: client batches. Pure validation first (at most [`MAX_BATCH`] events, each
//!   checked), then storage that is idempotent on (client key, `eventId`).
//! - `graphql`: `ingestTelemetry` (behind the `server_telemetry` flag) and the admin query
//!   `telemetryEvents`.
//!
//! Every event id lives in the id space of a *client key*: the device id for device callers,
//! `web:<user id>` for dashboard callers, and [`SERVER_CLIENT_KEY`] for the server's own events,
//! whose ids are fresh uuids.

pub mod graphql;
pub mod ingest;
pub mod recorder;

pub use ingest::{ClientEvent, ClientKey, IngestAck, MAX_BATCH};
pub use recorder::{ServerEvent, TelemetryRecorder, TelemetryWriter};

use async_graphql::Enum;

/// The client key of the events the server records about itself.
pub const SERVER_CLIENT_KEY: &str = "server";

/// Names of the events the server records, so that queries and dashboards can rely on them.
pub mod names {
    /// A voice session changed state (`properties`: from, to, cause, command).
    pub const VOICE_TRANSITION: &str = "voice.transition";
    /// The state machine ignored a valid event (`properties`: kind, seq, reason).
    pub const VOICE_EVENT_IGNORED: &str = "voice.event_ignored";
    /// A session answered `RESET` (`properties`: reason, appliedSeq).
    pub const VOICE_RESET: &str = "voice.reset";
    /// A client reported an `ERROR`, or the session failed on the server.
    pub const VOICE_ERROR: &str = "voice.error";
    /// The server commanded `RESTART_CAPTURE`, or rebuilt a session after a restart.
    pub const VOICE_RESTART: &str = "voice.restart";
    /// A voice mutation was refused (`properties`: operation, code, field).
    pub const VOICE_REFUSED: &str = "voice.refused";
    /// A transcript became a note and was published (`properties`: latencyMs from receiving
    /// the transcript, structurer, status).
    pub const NOTE_DELIVERED: &str = "note.delivered";
    /// The quality gate judged a note (`properties`: category, confidence, threshold,
    /// decision, reason).
    pub const NOTE_QUALITY_DECISION: &str = "note.quality_decision";
    /// Deletions raised a category's threshold for the rest of a session, and taught the
    /// user's adjustment for the platform (`properties`: category, platform).
    pub const NOTE_QUALITY_RAISED: &str = "note.quality_raised";
    /// A reviewer deleted a note: feedback for the gate (`properties`: category, reason).
    pub const NOTE_DELETED: &str = "note.deleted";
    /// A reviewer restored a deleted note (`properties`: category).
    pub const NOTE_RESTORED: &str = "note.restored";
}

/// How much an event matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum TelemetryLevel {
    Debug,
    Info,
    Warn,
    Error,
}

impl TelemetryLevel {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            TelemetryLevel::Debug => "debug",
            TelemetryLevel::Info => "info",
            TelemetryLevel::Warn => "warn",
            TelemetryLevel::Error => "error",
        }
    }

    /// Levels are stored as text; anything unknown reads as `Info`.
    pub fn from_db(value: &str) -> TelemetryLevel {
        match value {
            "debug" => TelemetryLevel::Debug,
            "warn" => TelemetryLevel::Warn,
            "error" => TelemetryLevel::Error,
            _ => TelemetryLevel::Info,
        }
    }
}

/// Where an event comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum TelemetrySource {
    Client,
    Server,
}

impl TelemetrySource {
    pub fn as_str(self) -> &'static str {
        match self {
            TelemetrySource::Client => "client",
            TelemetrySource::Server => "server",
        }
    }

    pub fn from_db(value: &str) -> TelemetrySource {
        match value {
            "server" => TelemetrySource::Server,
            _ => TelemetrySource::Client,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_sources_round_trip_through_their_stored_names() {
        for level in [
            TelemetryLevel::Debug,
            TelemetryLevel::Info,
            TelemetryLevel::Warn,
            TelemetryLevel::Error,
        ] {
            assert_eq!(TelemetryLevel::from_db(level.as_str()), level);
        }
        for source in [TelemetrySource::Client, TelemetrySource::Server] {
            assert_eq!(TelemetrySource::from_db(source.as_str()), source);
        }
    }
}
