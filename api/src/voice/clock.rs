//! The session clock: milliseconds for the pure machine, read from tokio's clock so tests can
//! pause and advance time, anchored to wall-clock time for timestamps that leave the server.

use chrono::{DateTime, Utc};
use tokio::time::Instant;

use super::machine::Millis;

#[derive(Debug, Clone, Copy)]
pub struct SessionClock {
    origin: Instant,
    origin_wall: DateTime<Utc>,
}

impl Default for SessionClock {
    fn default() -> Self {
        SessionClock {
            origin: Instant::now(),
            origin_wall: Utc::now(),
        }
    }
}

impl SessionClock {
    /// Milliseconds since the Unix epoch, advancing with tokio's clock.
    pub fn now(&self) -> Millis {
        self.origin_wall.timestamp_millis() + self.origin.elapsed().as_millis() as Millis
    }

    /// The tokio instant at which the machine's `at` falls (now, if it has passed).
    pub fn instant_at(&self, at: Millis) -> Instant {
        let from_now = at - self.now();
        Instant::now() + std::time::Duration::from_millis(from_now.max(0) as u64)
    }

    pub fn wall(&self, at: Millis) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(at).unwrap_or(self.origin_wall)
    }
}
