//! Integration tests: each test starts the real server on a free port with its own database.

mod admin_users;
mod analytics;
mod audit_log;
mod auth;
mod cluster;
mod context;
mod database;
mod failover;
mod flag_preview;
mod flags;
mod handshake;
mod hardening;
mod health;
mod jobs;
mod live_sessions;
mod note_stream;
mod notes;
mod quality_admin;
mod settings;
mod telemetry;
mod telemetry_explorer;
mod videos;
mod voice;
mod web;
mod ws;
