//! `analytics(from, to, bucket)`: the admin's trends, from the per-minute rollups and the
//! voice sessions, in two database queries whatever the range (see `super::query`).

use async_graphql::{Context, Enum, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::query::{Figures, Granularity, Plan};
use super::rollup::Series;
use crate::graphql_kit::ContextExt;

/// How long each point of an analytics answer is. Hours and days are UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum AnalyticsBucket {
    Minute,
    Hour,
    Day,
}

impl From<AnalyticsBucket> for Granularity {
    fn from(bucket: AnalyticsBucket) -> Self {
        match bucket {
            AnalyticsBucket::Minute => Granularity::Minute,
            AnalyticsBucket::Hour => Granularity::Hour,
            AnalyticsBucket::Day => Granularity::Day,
        }
    }
}

/// Latency percentiles, from per-minute histogram rollups (each within one bucket of the exact value).
#[derive(SimpleObject)]
pub struct LatencySummary {
    /// How many latencies were measured.
    count: i32,
    /// The median in milliseconds; null without samples.
    p50_ms: Option<f64>,
    /// The 95th percentile in milliseconds; null without samples.
    p95_ms: Option<f64>,
    /// The 99th percentile in milliseconds; null without samples.
    p99_ms: Option<f64>,
}

impl LatencySummary {
    fn of(histogram: &super::histogram::Histogram) -> LatencySummary {
        LatencySummary {
            count: clamped(histogram.count()),
            p50_ms: histogram.percentile(0.50),
            p95_ms: histogram.percentile(0.95),
            p99_ms: histogram.percentile(0.99),
        }
    }
}

/// The figures of one bucket of time (or of the whole range).
#[derive(SimpleObject)]
pub struct AnalyticsPoint {
    /// Start of the bucket (for `total`: `from`).
    at: DateTime<Utc>,
    /// Transcript received -> note published (server side).
    note_delivery: LatencySummary,
    /// voiceEvent received -> answered (server side).
    voice_event: LatencySummary,
    /// Notes a reviewer sees appear: transcribed notes the quality gate kept, and typed notes.
    notes_created: i32,
    /// Transcribed notes the quality gate suppressed.
    notes_suppressed: i32,
    /// `voiceEvent` calls answered (the count of `voiceEvent`'s latency).
    voice_events: i32,
    /// Voice sessions entering the error state (a client's ERROR event or a server failure).
    errors: i32,
    /// Voice events answered RESET.
    resets: i32,
    /// Voice sessions entering DISCONNECTED (heartbeat timeout, socket closed, server restart).
    disconnects: i32,
    /// Disconnected voice sessions resumed to a connected state.
    reconnects: i32,
    /// Distinct voice sessions live at some point in the bucket.
    active_sessions: i32,
    /// Distinct users with a live voice session in the bucket.
    active_users: i32,
    /// Client telemetry events stored.
    telemetry_accepted: i32,
    /// Client telemetry events answered as duplicates.
    telemetry_duplicates: i32,
    /// Server telemetry events dropped because the writer's queue was full.
    telemetry_dropped: i32,
}

impl AnalyticsPoint {
    fn new(at: DateTime<Utc>, figures: &Figures) -> AnalyticsPoint {
        let count = |series| clamped(figures.count(series));
        AnalyticsPoint {
            at,
            note_delivery: LatencySummary::of(&figures.note_delivery),
            voice_event: LatencySummary::of(&figures.voice_event),
            notes_created: count(Series::NotesCreated),
            notes_suppressed: count(Series::NotesSuppressed),
            voice_events: clamped(figures.voice_event.count()),
            errors: count(Series::Errors),
            resets: count(Series::Resets),
            disconnects: count(Series::Disconnects),
            reconnects: count(Series::Reconnects),
            active_sessions: clamped(figures.active_sessions),
            active_users: clamped(figures.active_users),
            telemetry_accepted: count(Series::TelemetryAccepted),
            telemetry_duplicates: count(Series::TelemetryDuplicates),
            telemetry_dropped: count(Series::TelemetryDropped),
        }
    }
}

/// GraphQL's `Int` is 32 bits; counts beyond it read as its maximum.
fn clamped(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Trends over a range, bucket by bucket.
#[derive(SimpleObject)]
pub struct Analytics {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    bucket: AnalyticsBucket,
    /// One point per bucket, oldest first, empty buckets included (zeros, null percentiles).
    points: Vec<AnalyticsPoint>,
    /// The whole range as one point.
    total: AnalyticsPoint,
}

#[derive(Default)]
pub struct AnalyticsQuery;

#[Object]
impl AnalyticsQuery {
    /// from < to; range at most 400 days; at most 1,500 points (else BAD_USER_INPUT with field).
    /// Buckets start on UTC minutes, hours and days; the first may start before `from`, but
    /// counts only what happened from `from` on (to the minute). Admins only.
    async fn analytics(
        &self,
        ctx: &Context<'_>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        bucket: AnalyticsBucket,
    ) -> async_graphql::Result<Analytics> {
        ctx.admin()?;
        let plan = Plan::new(from, to, bucket.into())?;
        let (points, total) = super::query::figures(&ctx.state().db, &plan).await?;
        Ok(Analytics {
            from,
            to,
            bucket,
            points: points
                .iter()
                .enumerate()
                .map(|(i, figures)| AnalyticsPoint::new(plan.start_of(i), figures))
                .collect(),
            total: AnalyticsPoint::new(from, &total),
        })
    }
}
