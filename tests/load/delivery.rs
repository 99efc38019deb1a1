//! The server's own `note_delivery` figure (PROTOCOL.md 6 and 8.5): transcript received → note
//! published, which the server records in the Prometheus histogram
//! `lossy_note_delivery_seconds`. It is read from `/metrics` before and after the run, and the
//! difference is the run's notes.
//!
//! A Prometheus histogram counts notes per bucket (bounds of 0.5, 1, 2.5, 5, 10, 25 ms and up),
//! so its percentiles are known only as "at most this bound"; its mean is exact.

use serde::Serialize;

use crate::accounts::Server;

const METRIC: &str = "lossy_note_delivery_seconds";

/// One reading of the histogram.
#[derive(Debug, Default, PartialEq)]
pub struct Reading {
    /// Cumulative counts by upper bound, in seconds, the last one infinite.
    buckets: Vec<(f64, u64)>,
    sum_secs: f64,
    count: u64,
}

impl Reading {
    /// Reads the histogram now; a server that delivered no note yet has none (all zero).
    pub async fn take(server: &Server) -> anyhow::Result<Self> {
        Ok(Reading::parse(&server.metrics().await?))
    }

    /// The histogram's lines in a Prometheus text exposition.
    fn parse(exposition: &str) -> Self {
        let mut reading = Reading::default();
        for line in exposition.lines() {
            let Some(rest) = line.strip_prefix(METRIC) else {
                continue;
            };
            let Some((series, value)) = rest.rsplit_once(' ') else {
                continue;
            };
            if let Some(labels) = series.strip_prefix("_bucket") {
                let bound = labels
                    .split("le=\"")
                    .nth(1)
                    .and_then(|b| b.split('"').next())
                    .and_then(|b| b.parse::<f64>().ok());
                if let (Some(bound), Ok(count)) = (bound, value.parse()) {
                    reading.buckets.push((bound, count));
                }
            } else if series.starts_with("_sum") {
                reading.sum_secs = value.parse().unwrap_or_default();
            } else if series.starts_with("_count") {
                reading.count = value.parse().unwrap_or_default();
            }
        }
        reading.buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
        reading
    }

    /// What was delivered between `before` and this reading.
    pub fn since(&self, before: &Reading) -> Delivery {
        let earlier = |bound: f64| {
            before
                .buckets
                .iter()
                .find(|(b, _)| *b == bound)
                .map_or(0, |(_, count)| *count)
        };
        let buckets: Vec<(f64, u64)> = self
            .buckets
            .iter()
            .map(|&(bound, count)| (bound, count.saturating_sub(earlier(bound))))
            .collect();
        let count = self.count.saturating_sub(before.count);
        let at_most = |quantile: f64| {
            // The rank of the quantile's note, then the first bucket that holds it.
            let rank = ((quantile * count as f64).ceil() as u64).max(1);
            buckets
                .iter()
                .find(|(_, within)| *within >= rank)
                .map(|(bound, _)| bound * 1000.0)
                .filter(|ms| ms.is_finite())
        };
        let has_notes = count > 0;
        Delivery {
            count,
            mean_ms: if has_notes {
                (self.sum_secs - before.sum_secs) * 1000.0 / count as f64
            } else {
                0.0
            },
            p50_at_most_ms: at_most(0.50).filter(|_| has_notes),
            p95_at_most_ms: at_most(0.95).filter(|_| has_notes),
            p99_at_most_ms: at_most(0.99).filter(|_| has_notes),
            within_ms: buckets
                .iter()
                .filter(|(bound, _)| bound.is_finite())
                .map(|&(bound, within)| (bound * 1000.0, within))
                .collect(),
        }
    }
}

/// The server's `note_delivery` over the run.
#[derive(Debug, Serialize)]
pub struct Delivery {
    /// Notes published.
    pub count: u64,
    pub mean_ms: f64,
    /// The bucket bound each percentile falls under, in ms (`None`: past the last bound).
    pub p50_at_most_ms: Option<f64>,
    pub p95_at_most_ms: Option<f64>,
    pub p99_at_most_ms: Option<f64>,
    /// `(bound in ms, notes delivered within it)`, cumulative.
    pub within_ms: Vec<(f64, u64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEFORE: &str = "\
# TYPE lossy_note_delivery_seconds histogram
lossy_note_delivery_seconds_bucket{le=\"0.001\"} 1
lossy_note_delivery_seconds_bucket{le=\"0.005\"} 2
lossy_note_delivery_seconds_bucket{le=\"+Inf\"} 2
lossy_note_delivery_seconds_sum 0.004
lossy_note_delivery_seconds_count 2
lossy_note_delivery_seconds_other 7
";

    const AFTER: &str = "\
lossy_voice_write_seconds_count 99
lossy_note_delivery_seconds_bucket{le=\"0.001\"} 51
lossy_note_delivery_seconds_bucket{le=\"0.005\"} 98
lossy_note_delivery_seconds_bucket{le=\"+Inf\"} 102
lossy_note_delivery_seconds_sum 0.204
lossy_note_delivery_seconds_count 102
";

    #[test]
    fn the_run_is_the_difference_of_two_readings() {
        let delivery = Reading::parse(AFTER).since(&Reading::parse(BEFORE));
        assert_eq!(delivery.count, 100);
        assert!((delivery.mean_ms - 2.0).abs() < 1e-9);
        assert_eq!(delivery.p50_at_most_ms, Some(1.0));
        assert_eq!(delivery.p95_at_most_ms, Some(5.0));
        // The 99th note is past the last finite bound.
        assert_eq!(delivery.p99_at_most_ms, None);
        assert_eq!(delivery.within_ms, vec![(1.0, 50), (5.0, 96)]);
    }

    #[test]
    fn no_histogram_yet_reads_as_nothing_delivered() {
        let delivery = Reading::parse("").since(&Reading::parse(""));
        assert_eq!(delivery.count, 0);
        assert_eq!(delivery.p50_at_most_ms, None);
    }
}
