//! The Lossy server: one GraphQL schema over HTTP and graphql-transport-ws, with the users,
//! devices, settings and feature flags behind a voice-first video review companion.
//!
//! # Layout
//!
//! - [`cli`]: the `lossy` command line; `main.rs` only calls it.
//! - [`config`]: one [`config::Config`] from flags and `LOSSY_*` variables.
//! - [`app`]: [`app::Application`] builds state and router, binds, and runs until shutdown.
//! - [`state`]: [`state::AppState`], shared by every handler, plus the shutdown signal.
//! - [`error`]: [`error::AppError`], mapped to `extensions.code` and HTTP statuses.
//! - [`db`]: connecting (SQLite in the data folder, or PostgreSQL) and migrating.
//! - [`auth`]: passwords, web sessions, devices and tokens, origins, rate limits, audit log.
//! - [`graphql`]: the schema root, limits, `POST /graphql`; [`graphql_kit`]: what every
//!   feature's resolvers use (context, ids, pagination).
//! - [`ws`]: the graphql-transport-ws front with its close codes and caps.
//! - [`handshake`]: protocol version negotiation and the `connection_ack` payload.
//! - [`settings`], [`flags`]: user settings; feature flags with rollout and overrides.
//! - [`bus`]: in-process publish/subscribe feeding subscriptions.
//! - [`cluster`]: several nodes on one PostgreSQL: what one changes reaches the others
//!   through `LISTEN/NOTIFY`.
//! - [`voice`]: the voice session of PROTOCOL.md section 5, around its pure state machine.
//! - [`context`]: each user's video context: which tab owns the voice capture, with leases.
//! - [`platforms`]: platform adapters and canonical video identity; the user's videos.
//! - [`notes`]: transcripts into notes (structurers, the quality gate), note edits, paged
//!   lists and `noteEvents`.
//! - [`jobs`]: durable jobs on a queue in the same database (refine a note with the LLM, post
//!   a note to an integration), with the admin's view of them.
//! - [`integrations`]: where notes are posted (a webhook per user).
//! - [`telemetry`]: client telemetry ingestion and the server's own event recorder.
//! - [`analytics`]: per-minute latency and count rollups, and the admin's `analytics` query.
//! - [`http`]: health, readiness, metrics, JSON bodies.
//! - [`health`]: the admin console's `serverHealth` and `jobCounts`.
//! - [`web`]: the built web app and GraphiQL's page, embedded or from `--web-dir`, with
//!   caching, gzip and the Content-Security-Policy.
//! - [`observability`]: logging and the Prometheus recorder.

pub mod analytics;
pub mod app;
pub mod auth;
pub mod bus;
pub mod cli;
pub mod cluster;
pub mod config;
pub mod context;
pub mod db;
pub mod error;
pub mod flags;
pub mod graphql;
pub mod graphql_kit;
pub mod handshake;
pub mod health;
pub mod http;
pub mod integrations;
pub mod jobs;
pub mod memory;
pub mod notes;
pub mod observability;
pub mod platforms;
pub mod settings;
pub mod state;
pub mod telemetry;
pub mod voice;
pub mod web;
pub mod ws;
