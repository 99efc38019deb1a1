//! Reading the rollups for a range: the plan of points (pure), then two queries whatever the
//! range and however many rows it holds.
//!
//! 1. `metric_rollups`, grouped in the database by (point, series, bucket): the point is
//!    `(minute - origin) / minutes_per_point`, integer arithmetic identical on SQLite and
//!    PostgreSQL. At most points × series × occupied buckets rows come back.
//! 2. `voice_sessions` live in each point (and in the whole range): the points' bounds go in
//!    as a `VALUES` list, joined on `started_at < end AND (ended_at IS NULL OR ended_at >
//!    start)` and counted distinct in the database.

use std::collections::HashMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, Value};

use super::histogram::Histogram;
use super::rollup::{Series, TOTAL_BUCKET};
use crate::error::{AppError, AppResult};

/// The longest range a query may cover.
pub const MAX_RANGE_DAYS: i64 = 400;
/// The most points one answer may have.
pub const MAX_POINTS: i64 = 1_500;

/// Point sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    Minute,
    Hour,
    Day,
}

impl Granularity {
    pub fn minutes(self) -> i64 {
        match self {
            Granularity::Minute => 1,
            Granularity::Hour => 60,
            Granularity::Day => 1_440,
        }
    }
}

/// Which points a range has and which rollup minutes it reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub granularity: Granularity,
    /// The first point's start in epoch minutes: `from` rounded down to the point size
    /// (UTC hours and days).
    pub origin: i64,
    pub points: usize,
    /// The rollup minutes read: those that start in `[from, to)`.
    pub first_minute: i64,
    pub end_minute: i64,
}

impl Plan {
    /// Checks the range: `from < to`, at most [`MAX_RANGE_DAYS`], at most [`MAX_POINTS`].
    pub fn new(
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        granularity: Granularity,
    ) -> AppResult<Plan> {
        if from >= to {
            return Err(AppError::bad_input("to", "`to` must be after `from`"));
        }
        if to - from > Duration::days(MAX_RANGE_DAYS) {
            return Err(AppError::bad_input(
                "from",
                format!("a range covers at most {MAX_RANGE_DAYS} days"),
            ));
        }
        let size = granularity.minutes();
        let origin = minute_floor(from).div_euclid(size) * size;
        let span_seconds =
            (to - minute_start(origin)).num_seconds() + i64::from(to.timestamp_subsec_nanos() > 0);
        let points = ceil_div(span_seconds, size * 60);
        if points > MAX_POINTS {
            return Err(AppError::bad_input(
                "bucket",
                format!(
                    "this range would have {points} points, at most {MAX_POINTS} are allowed: choose a larger bucket"
                ),
            ));
        }
        Ok(Plan {
            from,
            to,
            granularity,
            origin,
            points: points.max(1) as usize,
            first_minute: minute_ceil(from),
            end_minute: minute_ceil(to),
        })
    }

    /// Where point `index` starts (it may start before `from`).
    pub fn start_of(&self, index: usize) -> DateTime<Utc> {
        minute_start(self.origin + index as i64 * self.granularity.minutes())
    }

    /// The part of `[from, to)` that point `index` covers.
    pub fn window_of(&self, index: usize) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = self.start_of(index).max(self.from);
        let end = self.start_of(index + 1).min(self.to);
        (start, end)
    }
}

fn ceil_div(a: i64, b: i64) -> i64 {
    a.div_euclid(b) + i64::from(a.rem_euclid(b) != 0)
}

fn minute_floor(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(60)
}

/// The first minute that starts at or after `at`.
fn minute_ceil(at: DateTime<Utc>) -> i64 {
    let floor = minute_floor(at);
    let exact = at.timestamp().rem_euclid(60) == 0 && at.timestamp_subsec_nanos() == 0;
    if exact { floor } else { floor + 1 }
}

fn minute_start(minute: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(minute * 60, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// What one point (or the whole range) adds up to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub note_delivery: Histogram,
    pub voice_event: Histogram,
    pub counts: HashMap<Series, u64>,
    pub active_sessions: u64,
    pub active_users: u64,
}

impl Figures {
    pub fn count(&self, series: Series) -> u64 {
        self.counts.get(&series).copied().unwrap_or(0)
    }

    fn histogram_mut(&mut self, series: Series) -> Option<&mut Histogram> {
        match series {
            Series::NoteDelivery => Some(&mut self.note_delivery),
            Series::VoiceEvent => Some(&mut self.voice_event),
            _ => None,
        }
    }

    fn merge(&mut self, other: &Figures) {
        self.note_delivery.merge(&other.note_delivery);
        self.voice_event.merge(&other.voice_event);
        for (series, count) in &other.counts {
            *self.counts.entry(*series).or_default() += count;
        }
    }
}

/// Every point of `plan`, and the whole range, from two queries.
pub async fn figures(db: &impl ConnectionTrait, plan: &Plan) -> AppResult<(Vec<Figures>, Figures)> {
    let mut points = vec![Figures::default(); plan.points];
    read_rollups(db, plan, &mut points).await?;
    let mut total = Figures::default();
    for point in &points {
        total.merge(point);
    }
    read_active(db, plan, &mut points, &mut total).await?;
    Ok((points, total))
}

fn placeholder(backend: DatabaseBackend, n: usize) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("${n}"),
        _ => format!("?{n}"),
    }
}

async fn read_rollups(
    db: &impl ConnectionTrait,
    plan: &Plan,
    points: &mut [Figures],
) -> AppResult<()> {
    let backend = db.get_database_backend();
    let p = |n| placeholder(backend, n);
    let sql = format!(
        "SELECT (minute - {origin}) / {size} AS point, series, bucket, \
                CAST(SUM(count) AS BIGINT) AS count, \
                CAST(SUM(sum_ms) AS DOUBLE PRECISION) AS sum_ms \
         FROM metric_rollups WHERE minute >= {first} AND minute < {end} \
         GROUP BY 1, 2, 3",
        origin = p(1),
        size = p(2),
        first = p(3),
        end = p(4),
    );
    let values: Vec<Value> = vec![
        plan.origin.into(),
        plan.granularity.minutes().into(),
        plan.first_minute.into(),
        plan.end_minute.into(),
    ];
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    for row in rows {
        let point: i64 = row.try_get("", "point")?;
        let series: String = row.try_get("", "series")?;
        let bucket: i32 = row.try_get("", "bucket")?;
        let count: i64 = row.try_get("", "count")?;
        let sum_ms: f64 = row.try_get("", "sum_ms")?;
        let (Some(figures), Some(series)) = (
            usize::try_from(point).ok().and_then(|i| points.get_mut(i)),
            Series::from_db(&series),
        ) else {
            continue;
        };
        let count = u64::try_from(count).unwrap_or(0);
        if bucket == TOTAL_BUCKET {
            if let Some(histogram) = figures.histogram_mut(series) {
                histogram.add_sum(sum_ms);
            } else {
                *figures.counts.entry(series).or_default() += count;
            }
        } else if let (Some(histogram), Ok(bucket)) =
            (figures.histogram_mut(series), usize::try_from(bucket))
        {
            histogram.add_to_bucket(bucket, count);
        }
    }
    Ok(())
}

async fn read_active(
    db: &impl ConnectionTrait,
    plan: &Plan,
    points: &mut [Figures],
    total: &mut Figures,
) -> AppResult<()> {
    let backend = db.get_database_backend();
    let p = |n| placeholder(backend, n);
    let mut values: Vec<Value> = vec![plan.from.into(), plan.to.into()];
    let mut windows = Vec::with_capacity(plan.points + 1);
    // Index `plan.points` is the whole range.
    for index in 0..=plan.points {
        let (start, end) = if index == plan.points {
            (plan.from, plan.to)
        } else {
            plan.window_of(index)
        };
        values.push(start.into());
        values.push(end.into());
        let n = values.len();
        windows.push(format!("({index}, {}, {})", p(n - 1), p(n)));
    }
    let sql = format!(
        "WITH windows(i, s, e) AS (VALUES {windows}) \
         SELECT windows.i AS i, COUNT(DISTINCT v.id) AS sessions, \
                COUNT(DISTINCT v.user_id) AS users \
         FROM windows JOIN (SELECT id, user_id, started_at, ended_at FROM voice_sessions \
                            WHERE started_at < {to} AND (ended_at IS NULL OR ended_at > {from})) v \
           ON v.started_at < windows.e AND (v.ended_at IS NULL OR v.ended_at > windows.s) \
         GROUP BY windows.i",
        windows = windows.join(", "),
        from = p(1),
        to = p(2),
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    for row in rows {
        let index: i32 = row.try_get("", "i")?;
        let sessions: i64 = row.try_get("", "sessions")?;
        let users: i64 = row.try_get("", "users")?;
        let target = match usize::try_from(index) {
            Ok(i) if i == plan.points => &mut *total,
            Ok(i) => match points.get_mut(i) {
                Some(point) => point,
                None => continue,
            },
            Err(_) => continue,
        };
        target.active_sessions = u64::try_from(sessions).unwrap_or(0);
        target.active_users = u64::try_from(users).unwrap_or(0);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().expect("a time")
    }

    fn field(result: AppResult<Plan>) -> Option<String> {
        match result {
            Err(AppError::BadUserInput { field, .. }) => field,
            other => panic!("expected BAD_USER_INPUT, got {other:?}"),
        }
    }

    #[test]
    fn hours_start_on_the_hour_and_cover_the_range() {
        let plan = Plan::new(
            t("2026-01-01T10:30:00Z"),
            t("2026-01-01T13:00:00Z"),
            Granularity::Hour,
        )
        .expect("plan");
        assert_eq!(plan.points, 3);
        assert_eq!(plan.start_of(0), t("2026-01-01T10:00:00Z"));
        assert_eq!(
            plan.window_of(0),
            (t("2026-01-01T10:30:00Z"), t("2026-01-01T11:00:00Z"))
        );
        assert_eq!(
            plan.window_of(2),
            (t("2026-01-01T12:00:00Z"), t("2026-01-01T13:00:00Z"))
        );
        assert_eq!(
            plan.first_minute,
            t("2026-01-01T10:30:00Z").timestamp() / 60
        );
    }

    #[test]
    fn partial_minutes_round_the_read_rollups_inwards_and_the_points_outwards() {
        let plan = Plan::new(
            t("2026-01-01T10:00:30Z"),
            t("2026-01-01T10:02:30Z"),
            Granularity::Minute,
        )
        .expect("plan");
        assert_eq!(plan.points, 3);
        let ten = t("2026-01-01T10:00:00Z").timestamp() / 60;
        assert_eq!((plan.first_minute, plan.end_minute), (ten + 1, ten + 3));
    }

    #[test]
    fn bad_ranges_name_their_field() {
        let from = t("2026-01-01T00:00:00Z");
        assert_eq!(
            field(Plan::new(from, from, Granularity::Day)).as_deref(),
            Some("to")
        );
        assert_eq!(
            field(Plan::new(from, from - Duration::hours(1), Granularity::Day)).as_deref(),
            Some("to")
        );
        assert_eq!(
            field(Plan::new(
                from,
                from + Duration::days(3_650),
                Granularity::Day
            ))
            .as_deref(),
            Some("from")
        );
        assert_eq!(
            field(Plan::new(
                from,
                from + Duration::days(2),
                Granularity::Minute
            ))
            .as_deref(),
            Some("bucket")
        );
        assert!(Plan::new(from, from + Duration::days(400), Granularity::Day).is_ok());
        assert!(Plan::new(from, from + Duration::minutes(1_500), Granularity::Minute).is_ok());
        assert!(Plan::new(from, from + Duration::minutes(1_501), Granularity::Minute).is_err());
    }
}
