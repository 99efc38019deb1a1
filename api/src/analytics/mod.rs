//! Server-side analytics for admins (docs/analytics.md): per-minute rollups of latencies and
//! counts, fed by the hot paths without waiting, written by the telemetry writer, and read
//! back by `analytics(from, to, bucket)`.
//!
//! Read in this order:
//!
//! - `histogram`: the pure core, fixed log-spaced latency buckets with merge and percentiles.
//! - `rollup`: [`Rollups`], the in-memory accumulator keyed by (minute, series), and its
//!   flush as additive upserts into `metric_rollups`.
//! - `query`: the range's plan of points (pure), then two database queries.
//! - `graphql`: the admin query.

pub mod graphql;
pub mod histogram;
pub mod query;
pub mod rollup;

pub use rollup::{Rollups, Series};
