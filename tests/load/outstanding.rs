//! Requests sent and not yet answered, each waiting for one answer identified by a key (a
//! voice event's `seq`, a transcript's utterance id).
//!
//! An answer later than [`ANSWER_WAIT`] counts as an error, but its latency is still recorded
//! when it comes, so the percentiles are not cut off at the limit.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

use crate::report::Stats;

/// An answer that has not arrived by then counts as an error.
pub const ANSWER_WAIT: Duration = Duration::from_secs(2);

/// One request waiting for its answer; `late` once it has been counted as an error.
struct Waiting<K> {
    key: K,
    sent: Instant,
    late: bool,
}

/// The requests of one kind that wait for one kind of answer, oldest first.
pub struct Outstanding<K> {
    waiting: VecDeque<Waiting<K>>,
    /// The error counted when an answer passes [`ANSWER_WAIT`].
    timeout: &'static str,
    /// The error counted when the run gives up on an answer that was not yet late.
    lost: &'static str,
}

impl<K: PartialEq> Outstanding<K> {
    pub fn new(timeout: &'static str, lost: &'static str) -> Self {
        Outstanding {
            waiting: VecDeque::new(),
            timeout,
            lost,
        }
    }

    pub fn push(&mut self, key: K, sent: Instant) {
        self.waiting.push_back(Waiting {
            key,
            sent,
            late: false,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }

    /// The answer for `key` came: answers when its request was sent, and stops waiting.
    pub fn take(&mut self, key: &K) -> Option<Instant> {
        let at = self.waiting.iter().position(|w| w.key == *key)?;
        self.waiting.remove(at).map(|w| w.sent)
    }

    /// When the oldest answer not yet counted late becomes late.
    pub fn next_expiry(&self) -> Option<Instant> {
        self.waiting
            .iter()
            .filter(|w| !w.late)
            .map(|w| w.sent + ANSWER_WAIT)
            .min()
    }

    /// Counts what has waited longer than [`ANSWER_WAIT`], once each.
    pub fn expire(&mut self, now: Instant, stats: &mut Stats) {
        for waiting in &mut self.waiting {
            if !waiting.late && waiting.sent + ANSWER_WAIT <= now {
                waiting.late = true;
                stats.error(self.timeout);
            }
        }
    }

    /// Gives up on everything: what was not yet late counts as lost.
    pub fn abandon(&mut self, stats: &mut Stats) {
        for waiting in self.waiting.drain(..) {
            if !waiting.late {
                stats.error(self.lost);
            }
        }
    }
}

/// The earliest of several optional instants.
pub fn earliest(instants: impl IntoIterator<Item = Option<Instant>>) -> Option<Instant> {
    instants.into_iter().flatten().min()
}
