//! The kinds of job and what each carries. A job carries ids only: it reads the current note
//! when it runs, so a job that waited (a retry, a restart) never acts on a stale copy.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A kind of job, and its queue in apalis's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, async_graphql::Enum)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum JobKind {
    /// Ask the LLM for a better note and publish it (PROTOCOL.md section 6.2).
    RefineNote,
    /// Post a note to the user's integration.
    PostNote,
}

impl JobKind {
    pub const ALL: [JobKind; 2] = [JobKind::RefineNote, JobKind::PostNote];

    /// The queue's name (apalis's `job_type`): fixed here rather than apalis's default (the
    /// type's path), so that moving code never strands queued jobs.
    pub fn queue(self) -> &'static str {
        match self {
            JobKind::RefineNote => "refine_note",
            JobKind::PostNote => "post_note",
        }
    }

    pub fn from_queue(queue: &str) -> Option<JobKind> {
        JobKind::ALL.into_iter().find(|k| k.queue() == queue)
    }
}

/// Refine one note with the LLM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefineNote {
    pub note_id: Uuid,
}

impl RefineNote {
    /// One refinement per note, ever: the note id is the job's idempotency key.
    pub fn key(&self) -> String {
        format!("refine:{}", self.note_id)
    }
}

/// Post one note to the user's integration: one job per posting (`delivery_id`), retried
/// under that id, so a receiver can tell a repeated delivery from a new posting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostNote {
    pub note_id: Uuid,
    pub delivery_id: String,
}

impl PostNote {
    pub fn key(&self) -> String {
        format!("post:{}", self.delivery_id)
    }
}

/// The note a job's stored arguments name, for the admin list.
pub fn note_of(args: &[u8]) -> Option<Uuid> {
    #[derive(Deserialize)]
    struct AnyNoteJob {
        note_id: Uuid,
    }
    serde_json::from_slice::<AnyNoteJob>(args)
        .ok()
        .map(|job| job.note_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queues_round_trip() {
        for kind in JobKind::ALL {
            assert_eq!(JobKind::from_queue(kind.queue()), Some(kind));
        }
        assert_eq!(JobKind::from_queue("lossy_api::jobs::RefineNote"), None);
    }

    #[test]
    fn stored_arguments_name_their_note() {
        let id = Uuid::new_v4();
        let post = serde_json::to_vec(&PostNote {
            note_id: id,
            delivery_id: "d".into(),
        })
        .unwrap();
        assert_eq!(note_of(&post), Some(id));
        assert_eq!(note_of(b"not json"), None);
    }
}
