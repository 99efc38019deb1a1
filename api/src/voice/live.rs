//! The live sessions of this server as the admin console sees them: a board the registry and
//! the session tasks keep current (a session starts, changes state, ends), with a watch that
//! ticks on each of those changes so `liveSessionsChanged` waits instead of polling.
//!
//! The board is the only place that knows every session's state without asking its task; a
//! session's last event time is kept too but does not tick the watch (heartbeats would).

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use tokio::sync::watch;
use uuid::Uuid;

use super::machine::VoiceState;

/// Every state a live session can be in, in the enum's order (`Closed` ends the session).
pub const LIVE_STATES: [VoiceState; 7] = [
    VoiceState::Idle,
    VoiceState::Observing,
    VoiceState::Recording,
    VoiceState::Cooldown,
    VoiceState::Error,
    VoiceState::Disconnected,
    VoiceState::Reconnecting,
];

/// One live session on the board.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveEntry {
    pub id: Uuid,
    pub user_id: Uuid,
    pub video_id: Option<Uuid>,
    pub state: VoiceState,
    pub started_at: DateTime<Utc>,
    /// Arrival of the last event the session took.
    pub last_event_at: Option<DateTime<Utc>>,
}

impl LiveEntry {
    /// When the session was last active: its last event, else its start.
    pub fn active_at(&self) -> DateTime<Utc> {
        self.last_event_at.unwrap_or(self.started_at)
    }
}

pub struct LiveBoard {
    entries: Mutex<HashMap<Uuid, LiveEntry>>,
    /// Bumped on every start, state change and end.
    changed: watch::Sender<u64>,
}

impl Default for LiveBoard {
    fn default() -> Self {
        LiveBoard {
            entries: Mutex::default(),
            changed: watch::channel(0).0,
        }
    }
}

impl LiveBoard {
    /// A session's task started (or was rebuilt).
    pub fn started(&self, entry: LiveEntry) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(entry.id, entry);
        }
        self.bump();
    }

    /// A session took a step: its state now, and its last event.
    pub fn stepped(&self, id: Uuid, state: VoiceState, last_event_at: Option<DateTime<Utc>>) {
        let moved = self.entries.lock().ok().is_some_and(|mut entries| {
            entries.get_mut(&id).is_some_and(|entry| {
                entry.last_event_at = last_event_at.or(entry.last_event_at);
                let moved = entry.state != state;
                entry.state = state;
                moved
            })
        });
        if moved {
            self.bump();
        }
    }

    /// A session's task ended.
    pub fn ended(&self, id: Uuid) {
        let removed = self
            .entries
            .lock()
            .ok()
            .and_then(|mut entries| entries.remove(&id))
            .is_some();
        if removed {
            self.bump();
        }
    }

    /// Every live session (not `closed`), in no particular order.
    pub fn entries(&self) -> Vec<LiveEntry> {
        self.entries.lock().map_or_else(
            |_| Vec::new(),
            |entries| {
                entries
                    .values()
                    .filter(|entry| entry.state != VoiceState::Closed)
                    .cloned()
                    .collect()
            },
        )
    }

    /// How many sessions are live.
    pub fn count(&self) -> usize {
        self.entries().len()
    }

    /// Ticks on every start, state change and end.
    pub fn changes(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    fn bump(&self) {
        self.changed.send_modify(|n| *n = n.wrapping_add(1));
    }
}

/// The board summed up for the console: counts by state and the most recently active
/// sessions.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveSummary {
    pub at: DateTime<Utc>,
    pub total: usize,
    /// Every state of [`LIVE_STATES`], zeros included, in that order.
    pub by_state: Vec<(VoiceState, usize)>,
    /// Most recently active first; at most `first`.
    pub sessions: Vec<LiveEntry>,
}

pub fn summary(mut entries: Vec<LiveEntry>, first: usize, at: DateTime<Utc>) -> LiveSummary {
    entries.retain(|entry| entry.state != VoiceState::Closed);
    let by_state = LIVE_STATES
        .iter()
        .map(|state| {
            let count = entries.iter().filter(|e| e.state == *state).count();
            (*state, count)
        })
        .collect();
    let total = entries.len();
    entries.sort_by(|a, b| {
        b.active_at()
            .cmp(&a.active_at())
            .then_with(|| b.id.cmp(&a.id))
    });
    entries.truncate(first);
    LiveSummary {
        at,
        total,
        by_state,
        sessions: entries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(state: VoiceState, seconds: i64) -> LiveEntry {
        let started_at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        LiveEntry {
            id: Uuid::new_v4(),
            user_id: Uuid::new_v4(),
            video_id: None,
            state,
            started_at,
            last_event_at: Some(started_at + chrono::Duration::seconds(seconds)),
        }
    }

    #[test]
    fn the_summary_counts_every_live_state_and_lists_the_most_recent_first() {
        let entries = vec![
            entry(VoiceState::Observing, 5),
            entry(VoiceState::Recording, 30),
            entry(VoiceState::Observing, 10),
            entry(VoiceState::Closed, 50),
        ];
        let summary = summary(entries.clone(), 2, Utc::now());
        assert_eq!(summary.total, 3);
        assert_eq!(summary.by_state.len(), 7);
        assert_eq!(summary.by_state[0], (VoiceState::Idle, 0));
        assert_eq!(summary.by_state[1], (VoiceState::Observing, 2));
        assert_eq!(summary.by_state[2], (VoiceState::Recording, 1));
        assert_eq!(
            summary.sessions,
            vec![entries[1].clone(), entries[2].clone()]
        );
    }

    #[test]
    fn the_watch_ticks_on_start_state_change_and_end_but_not_on_an_event() {
        let board = LiveBoard::default();
        let mut changes = board.changes();
        let first = entry(VoiceState::Observing, 0);
        board.started(first.clone());
        assert!(changes.has_changed().unwrap());
        changes.mark_unchanged();

        board.stepped(first.id, VoiceState::Observing, Some(Utc::now()));
        assert!(
            !changes.has_changed().unwrap(),
            "an event in the same state"
        );
        board.stepped(first.id, VoiceState::Recording, None);
        assert!(changes.has_changed().unwrap());
        changes.mark_unchanged();
        assert_eq!(board.entries()[0].state, VoiceState::Recording);

        board.ended(first.id);
        assert!(changes.has_changed().unwrap());
        assert_eq!(board.count(), 0);
    }
}
