//! What `noteEvents` streams, and the publisher that keeps one video's events in the order
//! its writes committed.
//!
//! A write commits, then publishes its note and the video's new summary. Two writes to one
//! video that commit close together could otherwise publish in the other order, and a view
//! would end on a stale summary. Each video's publishing is therefore serialized (by a
//! striped lock) and the summary is read inside it, so the last summary published counts every
//! write committed before it. Notes carry `version` for the same reason across videos and
//! sockets: a client keeps the highest version it saw.

use std::sync::Arc;
use std::time::Instant;

use lossy_entities::notes;
use tokio::sync::Mutex;
use uuid::Uuid;

use super::listing::Counts;
use super::store;
use crate::bus::Bus;

/// One change to a user's notes, published to that user's sockets.
#[derive(Debug, Clone)]
pub enum NoteEvent {
    Created(Arc<notes::Model>),
    Updated(Arc<notes::Model>),
    Deleted { note_id: Uuid, video_id: Uuid },
    SummaryUpdated { video_id: Uuid, counts: Arc<Counts> },
}

impl NoteEvent {
    pub fn video_id(&self) -> Uuid {
        match self {
            NoteEvent::Created(note) | NoteEvent::Updated(note) => note.video_id,
            NoteEvent::Deleted { video_id, .. } | NoteEvent::SummaryUpdated { video_id, .. } => {
                *video_id
            }
        }
    }
}

/// Locks striped by video: enough to keep unrelated videos from waiting on each other.
const STRIPES: usize = 64;

pub struct NotePublisher {
    stripes: Vec<Mutex<()>>,
}

impl Default for NotePublisher {
    fn default() -> Self {
        NotePublisher {
            stripes: (0..STRIPES).map(|_| Mutex::new(())).collect(),
        }
    }
}

impl NotePublisher {
    /// Publishes `event` for the user's video, then the video's summary as it now stands;
    /// answers when the event itself went out. The write is done by then, so failing to read
    /// the summary is logged rather than returned: the next change publishes a fresh one.
    pub async fn publish(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        bus: &Bus,
        user_id: Uuid,
        event: NoteEvent,
    ) -> Instant {
        let video_id = event.video_id();
        let stripe = &self.stripes[video_id.as_u128() as usize % STRIPES];
        let _in_order = stripe.lock().await;
        bus.note_events.publish(user_id, event);
        let published = Instant::now();
        match store::summaries(db, &[video_id]).await {
            Ok(mut summaries) => bus.note_events.publish(
                user_id,
                NoteEvent::SummaryUpdated {
                    video_id,
                    counts: Arc::new(summaries.remove(&video_id).unwrap_or_default()),
                },
            ),
            Err(err) => {
                tracing::error!(error = ?err, %video_id, "could not read a video's note summary")
            }
        }
        published
    }
}
