//! The in-memory accumulator the hot paths feed, and its flush into `metric_rollups`.
//!
//! [`Rollups::observe`] and [`Rollups::count`] take a short lock on a map keyed by
//! (minute, series) and return: no database, no await. The telemetry writer
//! (`crate::telemetry::recorder`) calls [`flush`] every few seconds and once more when it
//! stops; a flush takes everything accumulated so far and adds it to the stored rows with
//! upserts (`count = count + excluded.count`), so several servers sharing a database, or a
//! minute flushed in several parts, add up. A flush that fails puts its counts back for the
//! next one.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use lossy_entities::metric_rollups;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, DbErr, EntityTrait};

use super::histogram::Histogram;
use crate::db::WriteLane;

/// The bucket of a series' total row (count, and the latency sum).
pub const TOTAL_BUCKET: i32 = -1;

/// Rows per insert statement (5 columns each, far below both databases' parameter limits).
const ROWS_PER_STATEMENT: usize = 500;

/// What the rollups count. Latency series keep a histogram; the others a count.
///
/// The definitions (also in docs/analytics.md):
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Series {
    /// Latency from receiving a transcript (`submitTranscript`) to its new note being stored
    /// and published, for every transcript that made a new note (kept, suppressed or
    /// cancelled): the `latencyMs` of `note.delivered`.
    NoteDelivery,
    /// Latency from receiving a `voiceEvent` (after its input was checked) to the session's
    /// answer; one sample per answered `voiceEvent`, whatever its outcome. Its count is the
    /// `voiceEvents` figure.
    VoiceEvent,
    /// Notes a reviewer sees appear: transcribed notes the quality gate kept, and typed notes.
    NotesCreated,
    /// Transcribed notes the quality gate suppressed.
    NotesSuppressed,
    /// Voice sessions entering the `error` state (a client's `ERROR` event, or a failure on
    /// the server): each `voice.error` telemetry event.
    Errors,
    /// Voice events answered `RESET`: each `voice.reset` telemetry event.
    Resets,
    /// Voice sessions entering `disconnected` (heartbeat timeout, socket closed, or restored
    /// after a server restart).
    Disconnects,
    /// Disconnected voice sessions resumed to a connected state.
    Reconnects,
    /// Client telemetry events stored by `ingestTelemetry`.
    TelemetryAccepted,
    /// Client telemetry events answered as duplicates (already stored, or repeated in a batch).
    TelemetryDuplicates,
    /// Server telemetry events dropped because the writer's queue was full or stopped.
    TelemetryDropped,
}

impl Series {
    pub const ALL: [Series; 11] = [
        Series::NoteDelivery,
        Series::VoiceEvent,
        Series::NotesCreated,
        Series::NotesSuppressed,
        Series::Errors,
        Series::Resets,
        Series::Disconnects,
        Series::Reconnects,
        Series::TelemetryAccepted,
        Series::TelemetryDuplicates,
        Series::TelemetryDropped,
    ];

    /// As stored in `metric_rollups.series`.
    pub fn as_str(self) -> &'static str {
        match self {
            Series::NoteDelivery => "note_delivery",
            Series::VoiceEvent => "voice_event",
            Series::NotesCreated => "notes_created",
            Series::NotesSuppressed => "notes_suppressed",
            Series::Errors => "errors",
            Series::Resets => "resets",
            Series::Disconnects => "disconnects",
            Series::Reconnects => "reconnects",
            Series::TelemetryAccepted => "telemetry_accepted",
            Series::TelemetryDuplicates => "telemetry_duplicates",
            Series::TelemetryDropped => "telemetry_dropped",
        }
    }

    pub fn from_db(value: &str) -> Option<Series> {
        Series::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Whether the series keeps a latency histogram.
    pub fn is_latency(self) -> bool {
        matches!(self, Series::NoteDelivery | Series::VoiceEvent)
    }
}

/// Whole minutes since the Unix epoch: the rollups' time key.
pub fn minute_of(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(60)
}

/// One series in one minute.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub count: u64,
    /// Latency series only.
    pub histogram: Option<Histogram>,
}

impl Cell {
    fn merge(&mut self, other: Cell) {
        self.count = self.count.saturating_add(other.count);
        match (&mut self.histogram, other.histogram) {
            (Some(mine), Some(theirs)) => mine.merge(&theirs),
            (mine @ None, theirs) => *mine = theirs,
            (Some(_), None) => {}
        }
    }
}

/// What the hot paths feed. Shared (`Arc`) by the app state and the telemetry recorder.
#[derive(Debug, Default)]
pub struct Rollups {
    cells: Mutex<HashMap<(i64, Series), Cell>>,
}

impl Rollups {
    pub fn new() -> Rollups {
        Rollups::default()
    }

    /// One latency sample of `series`, now.
    pub fn observe(&self, series: Series, latency: std::time::Duration) {
        self.observe_at(Utc::now(), series, latency.as_secs_f64() * 1000.0);
    }

    pub fn observe_at(&self, at: DateTime<Utc>, series: Series, ms: f64) {
        let mut cells = self.lock();
        let cell = cells.entry((minute_of(at), series)).or_default();
        cell.count = cell.count.saturating_add(1);
        cell.histogram
            .get_or_insert_with(Histogram::new)
            .observe(ms);
    }

    /// Adds `n` to a counted series, now.
    pub fn count(&self, series: Series, n: u64) {
        self.count_at(Utc::now(), series, n);
    }

    pub fn count_at(&self, at: DateTime<Utc>, series: Series, n: u64) {
        if n == 0 {
            return;
        }
        let mut cells = self.lock();
        let cell = cells.entry((minute_of(at), series)).or_default();
        cell.count = cell.count.saturating_add(n);
    }

    /// Everything accumulated so far, leaving the accumulator empty.
    pub fn take(&self) -> HashMap<(i64, Series), Cell> {
        std::mem::take(&mut *self.lock())
    }

    /// Puts back what a failed flush took.
    pub fn restore(&self, taken: HashMap<(i64, Series), Cell>) {
        let mut cells = self.lock();
        for (key, cell) in taken {
            cells.entry(key).or_default().merge(cell);
        }
    }

    /// Nothing waits on this lock but other increments, so a poisoned one is still usable.
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(i64, Series), Cell>> {
        self.cells
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The rows that add `cells` to the table: a total row per cell, and a row per occupied
/// histogram bucket.
pub fn rows(cells: &HashMap<(i64, Series), Cell>) -> Vec<metric_rollups::ActiveModel> {
    let mut rows = Vec::new();
    for ((minute, series), cell) in cells {
        let row = |bucket: i32, count: u64, sum_ms: f64| metric_rollups::ActiveModel {
            minute: Set(*minute),
            series: Set(series.as_str().to_owned()),
            bucket: Set(bucket),
            count: Set(i64::try_from(count).unwrap_or(i64::MAX)),
            sum_ms: Set(sum_ms),
        };
        let sum = cell.histogram.as_ref().map_or(0.0, Histogram::sum_ms);
        rows.push(row(TOTAL_BUCKET, cell.count, sum));
        if let Some(histogram) = &cell.histogram {
            for (bucket, count) in histogram.buckets() {
                rows.push(row(bucket as i32, count, 0.0));
            }
        }
    }
    rows
}

/// Writes what `rollups` accumulated, adding it to the stored rows in one transaction. On
/// failure the counts go back into `rollups` for the next flush. Answers how many rows were
/// written.
pub async fn flush(lane: &WriteLane, rollups: &Rollups) -> Result<usize, DbErr> {
    let taken = rollups.take();
    if taken.is_empty() {
        return Ok(0);
    }
    let rows = rows(&taken);
    let written = rows.len();
    let result = {
        let _turn = lane.turn().await;
        write(lane, rows).await
    };
    match result {
        Ok(()) => {
            metrics::counter!("lossy_analytics_rollup_rows_written_total")
                .increment(written as u64);
            Ok(written)
        }
        Err(err) => {
            metrics::counter!("lossy_analytics_flush_errors_total").increment(1);
            rollups.restore(taken);
            Err(err)
        }
    }
}

async fn write(lane: &WriteLane, rows: Vec<metric_rollups::ActiveModel>) -> Result<(), DbErr> {
    let txn = crate::db::begin_write(&lane.db).await?;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(ROWS_PER_STATEMENT).collect();
        metric_rollups::Entity::insert_many(chunk)
            .on_conflict(
                OnConflict::columns([
                    metric_rollups::Column::Minute,
                    metric_rollups::Column::Series,
                    metric_rollups::Column::Bucket,
                ])
                .value(
                    metric_rollups::Column::Count,
                    Expr::cust("metric_rollups.count + excluded.count"),
                )
                .value(
                    metric_rollups::Column::SumMs,
                    Expr::cust("metric_rollups.sum_ms + excluded.sum_ms"),
                )
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use sea_orm::QueryOrder;

    use super::*;
    use crate::analytics::histogram::bucket_of;
    use crate::settings::store::testing::database_with_user;

    fn at(minute: i64, second: u32) -> DateTime<Utc> {
        Utc.timestamp_opt(minute * 60 + i64::from(second), 0)
            .single()
            .expect("a valid time")
    }

    async fn stored(lane: &WriteLane) -> Vec<(i64, String, i32, i64, f64)> {
        metric_rollups::Entity::find()
            .order_by_asc(metric_rollups::Column::Minute)
            .order_by_asc(metric_rollups::Column::Series)
            .order_by_asc(metric_rollups::Column::Bucket)
            .all(&lane.db)
            .await
            .expect("rows")
            .into_iter()
            .map(|r| (r.minute, r.series, r.bucket, r.count, r.sum_ms))
            .collect()
    }

    #[test]
    fn minutes_count_from_the_epoch() {
        assert_eq!(minute_of(at(0, 0)), 0);
        assert_eq!(minute_of(at(100, 59)), 100);
        assert_eq!(minute_of(at(101, 0)), 101);
    }

    #[test]
    fn series_round_trip_through_their_stored_names() {
        for series in Series::ALL {
            assert_eq!(Series::from_db(series.as_str()), Some(series));
        }
        assert_eq!(Series::from_db("nope"), None);
    }

    #[test]
    fn samples_and_counts_accumulate_by_minute() {
        let rollups = Rollups::new();
        rollups.observe_at(at(5, 1), Series::NoteDelivery, 10.0);
        rollups.observe_at(at(5, 59), Series::NoteDelivery, 30.0);
        rollups.observe_at(at(6, 0), Series::NoteDelivery, 20.0);
        rollups.count_at(at(5, 3), Series::Resets, 2);
        rollups.count_at(at(5, 4), Series::Resets, 1);
        rollups.count_at(at(5, 4), Series::Errors, 0);
        let taken = rollups.take();
        assert_eq!(taken.len(), 3);
        let delivery = &taken[&(5, Series::NoteDelivery)];
        assert_eq!(delivery.count, 2);
        assert_eq!(
            delivery.histogram.as_ref().map(Histogram::sum_ms),
            Some(40.0)
        );
        assert_eq!(taken[&(5, Series::Resets)].count, 3);
        assert!(rollups.take().is_empty(), "taking empties the accumulator");
    }

    #[tokio::test]
    async fn flushes_add_to_the_stored_rows() {
        let (db, _) = database_with_user().await;
        let lane = WriteLane::new(db);
        let rollups = Rollups::new();
        rollups.observe_at(at(7, 0), Series::VoiceEvent, 2.0);
        rollups.count_at(at(7, 0), Series::Disconnects, 1);
        assert_eq!(flush(&lane, &rollups).await.expect("flush"), 3);
        rollups.observe_at(at(7, 30), Series::VoiceEvent, 2.0);
        rollups.observe_at(at(7, 30), Series::VoiceEvent, 500.0);
        rollups.count_at(at(7, 30), Series::Disconnects, 4);
        flush(&lane, &rollups).await.expect("flush");
        assert_eq!(flush(&lane, &rollups).await.expect("nothing left"), 0);
        let two = bucket_of(2.0) as i32;
        let five_hundred = bucket_of(500.0) as i32;
        assert_eq!(
            stored(&lane).await,
            vec![
                (7, "disconnects".to_owned(), TOTAL_BUCKET, 5, 0.0),
                (7, "voice_event".to_owned(), TOTAL_BUCKET, 3, 504.0),
                (7, "voice_event".to_owned(), two, 2, 0.0),
                (7, "voice_event".to_owned(), five_hundred, 1, 0.0),
            ]
        );
    }

    #[tokio::test]
    async fn a_failed_flush_keeps_its_counts_for_the_next() {
        use sea_orm::ConnectionTrait;
        let (db, _) = database_with_user().await;
        let lane = WriteLane::new(db.clone());
        let rollups = Rollups::new();
        rollups.count_at(at(9, 0), Series::TelemetryDropped, 3);
        db.execute_unprepared("ALTER TABLE metric_rollups RENAME TO rollups_away")
            .await
            .expect("hide the table");
        assert!(flush(&lane, &rollups).await.is_err());
        rollups.count_at(at(9, 1), Series::TelemetryDropped, 1);
        db.execute_unprepared("ALTER TABLE rollups_away RENAME TO metric_rollups")
            .await
            .expect("restore the table");
        flush(&lane, &rollups).await.expect("flush");
        assert_eq!(
            stored(&lane).await,
            vec![(9, "telemetry_dropped".to_owned(), TOTAL_BUCKET, 4, 0.0)]
        );
    }
}
