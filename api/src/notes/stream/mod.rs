//! The `noteEvents` stream (PROTOCOL.md section 6.1): nothing missed, nothing twice.
//!
//! Every change to a user's notes is appended to the event log ([`log`]) with the user's next
//! offset, in the transaction of the change, and published live after the commit. A
//! subscriber's stream ([`NoteStream::subscribe`]) subscribes live first, then replays from the
//! log what came after its `since`, then passes live events on in offset order
//! ([`sequencer`]): a live event that arrives early (another write published first) or after
//! the subscriber fell behind the live buffer shows a gap, filled from the log. Events another
//! node wrote arrive as a ring saying how far the user's log now goes ([`crate::cluster`]),
//! and are read from the log the same way. The log is the truth; the live topic only saves
//! reading it.
//!
//! Read in this order: [`event`], [`offset`], [`sequencer`], [`log`], then this module.

pub mod event;
pub mod log;
pub mod offset;
pub mod sequencer;

use std::future::Future;
use std::time::Duration;

use chrono::Utc;
use futures_util::{Stream, StreamExt};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::bus::{Delivery, KeyedTopic};
use crate::cluster::{Doorbell, Ring};
use crate::db::WriteLane;
use crate::error::AppResult;
use event::Sequenced;
use sequencer::{Offer, Sequencer};

/// Events read from the log per query while replaying or catching up.
const PAGE: u64 = 500;
/// The first wait before a failed log read is tried again, and the longest.
const RETRY_FIRST: Duration = Duration::from_millis(50);
const RETRY_MOST: Duration = Duration::from_secs(2);

/// The note events of every user: published live, replayed from the log.
pub struct NoteStream {
    live: KeyedTopic<Uuid, Live>,
    retention: Duration,
    /// Tells the other nodes how far each user's log goes.
    doorbell: Doorbell,
}

/// What goes by on the live topic.
#[derive(Debug, Clone)]
enum Live {
    /// An event this node wrote.
    Event(Sequenced),
    /// Another node wrote the user's events up to this offset: they are in the log.
    Through(i64),
}

impl NoteStream {
    pub fn new(retention: Duration, doorbell: Doorbell) -> Self {
        NoteStream {
            live: KeyedTopic::new("note_events"),
            retention,
            doorbell,
        }
    }

    /// Publishes events the log holds: call after their transaction committed, in their order.
    pub fn published(&self, user_id: Uuid, events: Vec<Sequenced>) {
        let Some(through) = events.iter().map(|event| event.seq).max() else {
            return;
        };
        for event in events {
            self.live.publish(user_id, Live::Event(event));
        }
        self.doorbell.ring(Ring::NoteEvents { user_id, through });
    }

    /// Another node committed the user's events up to `through`: this node's subscribers read
    /// from the log what they have not passed on yet.
    pub fn logged_elsewhere(&self, user_id: Uuid, through: i64) {
        self.live.publish(user_id, Live::Through(through));
    }

    /// The users with a subscriber on this node.
    pub fn watched_users(&self) -> Vec<Uuid> {
        self.live.keys()
    }

    /// The user's events (of one video, or all) after `since`, then live ones as they come,
    /// each once and in offset order. Without `since`, the events after this call. Subscribed
    /// to the live topic before it answers, so a write made after it is always seen.
    pub async fn subscribe(
        &self,
        db: &DatabaseConnection,
        user_id: Uuid,
        video_id: Option<Uuid>,
        since: Option<&str>,
    ) -> AppResult<impl Stream<Item = AppResult<Sequenced>> + Send + 'static + use<>> {
        let mut live = self.live.subscribe_noting_misses(user_id).boxed();
        let (mut sequencer, replay) = match since {
            Some(text) => {
                let since = offset::decode(user_id, text, "since")?;
                log::check_since(db, user_id, since, Utc::now() - self.retention).await?;
                (Sequencer::after(since), true)
            }
            None => (Sequencer::after(log::last_seq(db, user_id).await?), false),
        };
        let reader = Reader {
            db: db.clone(),
            user_id,
            video_id,
        };
        Ok(async_stream::stream! {
            if replay {
                let through = match reader.last_seq().await {
                    Ok(last) => last,
                    Err(err) => {
                        yield Err(err);
                        return;
                    }
                };
                for await event in reader.read(&mut sequencer, through) {
                    let failed = event.is_err();
                    yield event;
                    if failed {
                        return;
                    }
                }
            }
            while let Some(delivery) = live.next().await {
                let through = match delivery {
                    Delivery::Event(Live::Through(through)) if through <= sequencer.last() => continue,
                    Delivery::Event(Live::Through(through)) => through,
                    Delivery::Event(Live::Event(event)) => match sequencer.offer(event.seq) {
                        Offer::Duplicate => continue,
                        Offer::Next => {
                            sequencer.passed(event.seq);
                            if reader.wants(&event) {
                                yield Ok(event);
                            }
                            continue;
                        }
                        Offer::Gap { before, .. } => before,
                    },
                    // Whatever was missed is in the log by now, up to its last offset.
                    Delivery::Missed(_) => match reader.last_seq().await {
                        Ok(last) => last,
                        Err(err) => {
                            yield Err(err);
                            return;
                        }
                    },
                };
                metrics::counter!("lossy_note_stream_caught_up_total").increment(1);
                for await event in reader.read(&mut sequencer, through) {
                    let failed = event.is_err();
                    yield event;
                    if failed {
                        return;
                    }
                }
            }
        })
    }

    /// Deletes events past retention now and then, for as long as the server runs.
    pub async fn prune_expired(self: std::sync::Arc<Self>, lane: WriteLane) {
        let every = (self.retention / 24).clamp(Duration::from_secs(1), Duration::from_secs(3600));
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            let pruned = {
                let _turn = lane.turn().await;
                log::prune(&lane.db, Utc::now() - self.retention).await
            };
            match pruned {
                Ok(0) => {}
                Ok(pruned) => tracing::info!(pruned, "pruned note events past retention"),
                Err(err) => tracing::warn!(error = ?err, "could not prune note events"),
            }
        }
    }
}

/// Reads one subscriber's events from the log.
struct Reader {
    db: DatabaseConnection,
    user_id: Uuid,
    video_id: Option<Uuid>,
}

impl Reader {
    /// The user's last offset in the log.
    async fn last_seq(&self) -> AppResult<i64> {
        self.until_reachable(|| log::last_seq(&self.db, self.user_id))
            .await
    }

    /// A read of the log, tried again while the database cannot be reached (a restart, cut
    /// connections): the events are in the log and will be read once it answers, so an outage
    /// delays the subscriber's stream rather than ending it. Any other error ends the stream.
    async fn until_reachable<T, F, Fut>(&self, mut read: F) -> AppResult<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = AppResult<T>>,
    {
        let mut wait = RETRY_FIRST;
        loop {
            match read().await {
                Err(err) if err.is_database() => {
                    metrics::counter!("lossy_note_stream_read_retries_total").increment(1);
                    tracing::warn!(error = ?err, "reading the note event log failed; trying again");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(RETRY_MOST);
                }
                answer => return answer,
            }
        }
    }

    fn wants(&self, event: &Sequenced) -> bool {
        self.video_id
            .is_none_or(|video| video == event.event.video_id())
    }

    /// The events after the sequencer's last up to `through`, page by page; the sequencer has
    /// passed `through` once they are all out (events of other videos count as passed).
    fn read<'a>(
        &'a self,
        sequencer: &'a mut Sequencer,
        through: i64,
    ) -> impl Stream<Item = AppResult<Sequenced>> + Send + 'a {
        async_stream::stream! {
            loop {
                let after = sequencer.last();
                let page = self
                    .until_reachable(|| {
                        log::read(&self.db, self.user_id, self.video_id, after, through, PAGE)
                    })
                    .await;
                let page = match page {
                    Ok(page) => page,
                    Err(err) => {
                        yield Err(err);
                        return;
                    }
                };
                let full = page.len() as u64 == PAGE;
                for event in page {
                    sequencer.passed(event.seq);
                    yield Ok(event);
                }
                if !full {
                    sequencer.passed(through);
                    return;
                }
            }
        }
    }
}
