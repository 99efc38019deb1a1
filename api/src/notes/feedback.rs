//! The reviewer's deletions per live voice session, for the quality gate's per-session raise
//! (PROTOCOL.md section 8). In memory on purpose: the raise lasts "for the rest of the
//! session", and a session lives in this server's memory too. A deletion counts toward the
//! user's voice session that is live when it is made; the count is forgotten when that
//! session ends, so the next session starts afresh.

use std::collections::HashMap;
use std::sync::Mutex;

use uuid::Uuid;

use super::quality::SessionFeedback;
use super::structurer::Category;

#[derive(Default)]
pub struct FeedbackBook {
    sessions: Mutex<HashMap<Uuid, SessionFeedback>>,
}

impl FeedbackBook {
    /// What was deleted in `session` so far (nothing for a session never seen).
    pub fn of(&self, session: Uuid) -> SessionFeedback {
        self.sessions
            .lock()
            .ok()
            .and_then(|sessions| sessions.get(&session).cloned())
            .unwrap_or_default()
    }

    /// Counts a deletion in `session`; answers true when it is the one that raises the
    /// category's threshold.
    pub fn deleted(&self, session: Uuid, category: Category) -> bool {
        self.sessions
            .lock()
            .map(|mut sessions| sessions.entry(session).or_default().deleted(category))
            .unwrap_or(false)
    }

    /// A restore in `session` takes a deletion back.
    pub fn restored(&self, session: Uuid, category: Category) {
        if let Ok(mut sessions) = self.sessions.lock()
            && let Some(feedback) = sessions.get_mut(&session)
        {
            feedback.restored(category);
        }
    }

    /// Forgets the sessions that are no longer live.
    pub fn retain_live(&self, is_live: impl Fn(Uuid) -> bool) {
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.retain(|id, _| is_live(*id));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::quality::DELETIONS_TO_RAISE;

    #[test]
    fn deletions_raise_per_session_and_end_with_it() {
        let book = FeedbackBook::default();
        let (first, second) = (Uuid::new_v4(), Uuid::new_v4());
        for n in 1..=DELETIONS_TO_RAISE {
            assert_eq!(
                book.deleted(first, Category::Audio),
                n == DELETIONS_TO_RAISE
            );
        }
        assert!(book.of(first).is_raised(Category::Audio));
        assert!(!book.of(first).is_raised(Category::Pacing));
        assert!(!book.of(second).is_raised(Category::Audio));

        book.restored(first, Category::Audio);
        assert!(!book.of(first).is_raised(Category::Audio));
        book.deleted(first, Category::Audio);
        assert!(book.of(first).is_raised(Category::Audio));

        book.retain_live(|id| id == second);
        assert!(!book.of(first).is_raised(Category::Audio));
    }
}
