//! Latency histograms with fixed log-spaced buckets: the pure core of the per-minute rollups.
//!
//! Every histogram of every minute uses the same buckets, so any two merge by adding counts,
//! and a percentile over a range is read from the merged counts without the samples.
//!
//! - Bucket 0 (underflow): below [`MIN_MS`] (0.1 ms).
//! - Buckets 1 to [`LOG_BUCKETS`]: bucket `i` holds `[MIN_MS * GROWTH^(i-1), MIN_MS * GROWTH^i)`,
//!   each 9 % wider than the one before; the last ends above ten minutes.
//! - Bucket [`OVERFLOW`]: from there on.
//!
//! A percentile answers the representative value of the bucket holding the sample of that
//! rank (nearest rank), so it lies in the same bucket as the exact percentile of the samples:
//! within 9 % of it between 0.1 ms and ten minutes.

/// The lower bound of the first log bucket, in milliseconds.
pub const MIN_MS: f64 = 0.1;
/// How much wider each log bucket is than the one before.
pub const GROWTH: f64 = 1.09;
/// The number of log buckets between the underflow and the overflow bucket.
pub const LOG_BUCKETS: usize = 182;
/// The index of the overflow bucket; also the highest index.
pub const OVERFLOW: usize = LOG_BUCKETS + 1;
/// How many buckets a histogram has.
pub const BUCKETS: usize = LOG_BUCKETS + 2;

/// The lower bound of bucket `index` in milliseconds (0 for the underflow bucket).
pub fn lower_bound(index: usize) -> f64 {
    match index {
        0 => 0.0,
        i => MIN_MS * GROWTH.powi(i.min(OVERFLOW) as i32 - 1),
    }
}

/// The upper bound of bucket `index` (infinite for the overflow bucket).
pub fn upper_bound(index: usize) -> f64 {
    if index >= OVERFLOW {
        f64::INFINITY
    } else {
        lower_bound(index + 1)
    }
}

/// The bucket a latency falls in. Negative and NaN latencies count as zero.
pub fn bucket_of(ms: f64) -> usize {
    if ms.is_nan() || ms < MIN_MS {
        return 0;
    }
    // The bounds come from `lower_bound` alone, so a value and its bucket always agree.
    let (mut low, mut high) = (1, OVERFLOW);
    if ms >= lower_bound(OVERFLOW) {
        return OVERFLOW;
    }
    // Invariant: lower_bound(low) <= ms < lower_bound(high).
    while high - low > 1 {
        let mid = (low + high) / 2;
        if ms >= lower_bound(mid) {
            low = mid;
        } else {
            high = mid;
        }
    }
    low
}

/// The value a percentile answers for bucket `index`: the geometric middle of a log bucket,
/// half the lowest bound for the underflow bucket, the lower bound for the overflow one.
pub fn representative(index: usize) -> f64 {
    match index {
        0 => MIN_MS / 2.0,
        i if i >= OVERFLOW => lower_bound(OVERFLOW),
        i => (lower_bound(i) * upper_bound(i)).sqrt(),
    }
}

/// Counts per bucket, with the number and sum of the samples.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    counts: Vec<u64>,
    count: u64,
    sum_ms: f64,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            counts: vec![0; BUCKETS],
            count: 0,
            sum_ms: 0.0,
        }
    }
}

impl Histogram {
    pub fn new() -> Histogram {
        Histogram::default()
    }

    /// Counts one sample.
    pub fn observe(&mut self, ms: f64) {
        self.add_to_bucket(bucket_of(ms), 1);
        if ms.is_finite() && ms > 0.0 {
            self.sum_ms += ms;
        }
    }

    /// Adds `count` samples to bucket `index` (clamped to the overflow bucket), as read back
    /// from a rollup; the sum is added separately with [`Histogram::add_sum`].
    pub fn add_to_bucket(&mut self, index: usize, count: u64) {
        let index = index.min(OVERFLOW);
        self.counts[index] = self.counts[index].saturating_add(count);
        self.count = self.count.saturating_add(count);
    }

    pub fn add_sum(&mut self, sum_ms: f64) {
        self.sum_ms += sum_ms;
    }

    /// Adds `other`'s samples to these.
    pub fn merge(&mut self, other: &Histogram) {
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            *mine = mine.saturating_add(*theirs);
        }
        self.count = self.count.saturating_add(other.count);
        self.sum_ms += other.sum_ms;
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn sum_ms(&self) -> f64 {
        self.sum_ms
    }

    /// The occupied buckets as (index, count), lowest first.
    pub fn buckets(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, count)| **count > 0)
            .map(|(index, count)| (index, *count))
    }

    /// The nearest-rank percentile (`p` in 0..=1): the representative value of the bucket
    /// holding the `ceil(p * count)`-th smallest sample. `None` without samples.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let rank = nearest_rank(p, self.count);
        let mut seen = 0u64;
        for (index, count) in self.buckets() {
            seen += count;
            if seen >= rank {
                return Some(representative(index));
            }
        }
        Some(representative(OVERFLOW))
    }
}

/// The 1-based rank of the `p` percentile among `count` samples (nearest rank).
pub fn nearest_rank(p: f64, count: u64) -> u64 {
    let p = if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) };
    ((p * count as f64).ceil() as u64).clamp(1, count.max(1))
}

/// The exact nearest-rank percentile of `samples` (sorted here), for comparison in tests.
pub fn exact_percentile(samples: &[f64], p: f64) -> Option<f64> {
    if samples.is_empty() {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = nearest_rank(p, sorted.len() as u64);
    Some(sorted[(rank - 1) as usize])
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn the_buckets_cover_a_tenth_of_a_millisecond_to_ten_minutes_at_nine_percent() {
        assert_eq!(bucket_of(0.0), 0);
        assert_eq!(bucket_of(0.099), 0);
        assert_eq!(bucket_of(MIN_MS), 1);
        assert!(upper_bound(LOG_BUCKETS) >= 600_000.0);
        assert!(lower_bound(LOG_BUCKETS) < 600_000.0);
        assert_eq!(bucket_of(600_000.0), LOG_BUCKETS);
        assert_eq!(bucket_of(1e9), OVERFLOW);
        assert_eq!(bucket_of(f64::INFINITY), OVERFLOW);
        assert_eq!(bucket_of(-5.0), 0);
        assert_eq!(bucket_of(f64::NAN), 0);
        for i in 1..LOG_BUCKETS {
            let width = upper_bound(i) / lower_bound(i);
            assert!((width - GROWTH).abs() < 1e-9, "bucket {i} is {width} wide");
        }
    }

    #[test]
    fn every_bucket_holds_its_bounds_and_representative() {
        for i in 0..BUCKETS {
            assert_eq!(bucket_of(representative(i)), i, "representative of {i}");
            if i > 0 {
                assert_eq!(bucket_of(lower_bound(i)), i, "lower bound of {i}");
            }
        }
    }

    #[test]
    fn an_empty_histogram_has_no_percentiles() {
        assert_eq!(Histogram::new().percentile(0.5), None);
        assert_eq!(exact_percentile(&[], 0.5), None);
    }

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let mut h = Histogram::new();
        for ms in [1.0, 2.0, 3.0, 4.0, 100.0] {
            h.observe(ms);
        }
        assert_eq!(h.count(), 5);
        assert_eq!(h.sum_ms(), 110.0);
        // Rank ceil(0.5 * 5) = 3: the 3 ms sample.
        assert_eq!(bucket_of(h.percentile(0.5).unwrap()), bucket_of(3.0));
        assert_eq!(bucket_of(h.percentile(0.99).unwrap()), bucket_of(100.0));
        assert_eq!(bucket_of(h.percentile(0.0).unwrap()), bucket_of(1.0));
    }

    fn latency() -> impl Strategy<Value = f64> {
        prop_oneof![
            0.0..0.2f64,
            0.1..10.0f64,
            10.0..5_000.0f64,
            5_000.0..700_000.0f64,
            Just(1e9),
        ]
    }

    proptest! {
        #[test]
        fn a_percentile_is_within_one_bucket_of_the_exact_one(
            samples in prop::collection::vec(latency(), 1..400),
            p in 0.0..=1.0f64,
        ) {
            let mut h = Histogram::new();
            for ms in &samples {
                h.observe(*ms);
            }
            let estimate = h.percentile(p).unwrap();
            let exact = exact_percentile(&samples, p).unwrap();
            let (a, b) = (bucket_of(estimate), bucket_of(exact));
            prop_assert!(a.abs_diff(b) <= 1, "p{p}: {estimate} (bucket {a}) vs {exact} (bucket {b})");
        }

        #[test]
        fn merged_histograms_answer_as_one_over_all_samples(
            parts in prop::collection::vec(prop::collection::vec(latency(), 0..50), 1..12),
            p in 0.0..=1.0f64,
        ) {
            let mut merged = Histogram::new();
            let mut whole = Histogram::new();
            for part in &parts {
                let mut h = Histogram::new();
                for ms in part {
                    h.observe(*ms);
                    whole.observe(*ms);
                }
                merged.merge(&h);
            }
            prop_assert_eq!(merged.count(), whole.count());
            prop_assert_eq!(merged.percentile(p), whole.percentile(p));
            let all: Vec<f64> = parts.concat();
            if let Some(exact) = exact_percentile(&all, p) {
                let estimate = merged.percentile(p).unwrap();
                prop_assert!(bucket_of(estimate).abs_diff(bucket_of(exact)) <= 1);
            }
        }

        #[test]
        fn rebuilding_from_stored_buckets_loses_nothing(
            samples in prop::collection::vec(latency(), 0..200),
        ) {
            let mut h = Histogram::new();
            for ms in &samples {
                h.observe(*ms);
            }
            let mut rebuilt = Histogram::new();
            for (index, count) in h.buckets() {
                rebuilt.add_to_bucket(index, count);
            }
            rebuilt.add_sum(h.sum_ms());
            prop_assert_eq!(rebuilt, h);
        }
    }
}
