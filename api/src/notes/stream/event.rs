//! What `noteEvents` streams: one change to a user's notes, and that change with its offset.

use std::sync::Arc;

use lossy_entities::notes;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::notes::listing::Counts;

/// One change to a user's notes. Stored in the event log as JSON, as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoteEvent {
    Created {
        note: Arc<notes::Model>,
    },
    Updated {
        note: Arc<notes::Model>,
    },
    Deleted {
        note_id: Uuid,
        video_id: Uuid,
    },
    /// The video's counts after the changes before it.
    Summary {
        video_id: Uuid,
        counts: Arc<Counts>,
    },
}

impl NoteEvent {
    pub fn created(note: &notes::Model) -> Self {
        NoteEvent::Created {
            note: Arc::new(note.clone()),
        }
    }

    pub fn updated(note: &notes::Model) -> Self {
        NoteEvent::Updated {
            note: Arc::new(note.clone()),
        }
    }

    pub fn video_id(&self) -> Uuid {
        match self {
            NoteEvent::Created { note } | NoteEvent::Updated { note } => note.video_id,
            NoteEvent::Deleted { video_id, .. } | NoteEvent::Summary { video_id, .. } => *video_id,
        }
    }

    /// The log's `kind` column.
    pub fn kind(&self) -> &'static str {
        match self {
            NoteEvent::Created { .. } => "created",
            NoteEvent::Updated { .. } => "updated",
            NoteEvent::Deleted { .. } => "deleted",
            NoteEvent::Summary { .. } => "summary",
        }
    }
}

/// An event with its place in the user's stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Sequenced {
    pub seq: i64,
    pub event: NoteEvent,
}
