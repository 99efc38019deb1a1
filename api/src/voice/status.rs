//! The `voiceStatus` stream: about now, not history (PROTOCOL.md section 6.1). A subscriber
//! first receives the current status of each of its live sessions (cause `RESYNC`), then live
//! statuses. One that fell behind the live buffer gets the current statuses again, and the
//! statuses older than them that were still buffered are dropped: a stale `PAUSE_VIDEO`
//! acted on late is worse than none.

use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use uuid::Uuid;

use super::registry;
use super::session::VoiceStatus;
use crate::bus::Delivery;
use crate::state::AppState;

/// The cause of a status sent to bring a subscriber up to date.
pub const RESYNC: &str = "RESYNC";

/// The user's statuses (of one session, or all), starting with the current ones. Subscribed
/// to the live topic before it answers.
pub fn subscribe(
    app: &AppState,
    user_id: Uuid,
    only: Option<Uuid>,
) -> impl Stream<Item = VoiceStatus> + Send + 'static + use<> {
    let mut live = app.voice.statuses.subscribe_noting_misses(user_id).boxed();
    let app = app.clone();
    async_stream::stream! {
        let mut current_from = Utc::now();
        for status in current(&app, user_id, only, current_from).await {
            yield status;
        }
        while let Some(delivery) = live.next().await {
            match delivery {
                Delivery::Event(status) => {
                    let wanted = only.is_none_or(|id| id == status.session_id);
                    if wanted && status.at >= current_from {
                        yield status;
                    }
                }
                Delivery::Missed(_) => {
                    current_from = Utc::now();
                    for status in current(&app, user_id, only, current_from).await {
                        yield status;
                    }
                }
            }
        }
    }
}

/// The current status of each of the user's live sessions (of one, with `only`).
async fn current(
    app: &AppState,
    user_id: Uuid,
    only: Option<Uuid>,
    at: DateTime<Utc>,
) -> Vec<VoiceStatus> {
    let mut statuses = Vec::new();
    for handle in app.voice.of_user(user_id) {
        if only.is_some_and(|id| id != handle.id) {
            continue;
        }
        // A session that ended meanwhile has no current status to give.
        if let Ok(Some(view)) = registry::view(app, handle.id).await
            && view.ended_at.is_none()
        {
            statuses.push(VoiceStatus {
                session_id: view.id,
                user_id,
                state: view.machine.state(),
                previous_state: None,
                cause: RESYNC.to_owned(),
                seq: view.machine.last_applied_seq(),
                counters: view.machine.counters(),
                command: None,
                at,
            });
        }
    }
    statuses
}
