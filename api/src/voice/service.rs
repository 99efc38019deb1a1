//! What other features ask of voice sessions, and the only way they reach them: notes check a
//! transcript against the session that heard it and report the note it made; the video context
//! ends sessions when the voice moves to another tab; a closing socket disconnects its
//! sessions. Nothing outside `voice` sends a session a message or reads its machine.

use uuid::Uuid;

use super::machine::StopReason;
use super::registry;
use super::session::{Heard, Message};
use crate::context::Tab;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A transcript may be stored for `session_id` only if the session is the user's, runs on the
/// transcript's video, and heard the utterance. Asks the live session itself (or reads the
/// stored one when it has ended), without copying its machine.
pub async fn utterance_heard(
    app: &AppState,
    user_id: Uuid,
    session_id: Uuid,
    utterance_id: &str,
    video_id: Uuid,
) -> AppResult<()> {
    let heard = match app.voice.get(session_id) {
        Some(handle) => {
            let utterance = utterance_id.to_owned();
            handle
                .ask(|reply| Message::Heard { utterance, reply })
                .await
                .ok()
        }
        None => None,
    };
    let heard = match heard {
        Some(heard) => Some(heard),
        // Ended (or ending this instant): what it heard is in its stored snapshot.
        None => registry::view(app, session_id).await?.map(|view| Heard {
            user_id: view.owner.user_id,
            video_id: view.owner.video_id,
            knows: view.machine.knows_utterance(utterance_id),
        }),
    };
    let heard = heard
        .filter(|heard| heard.user_id == user_id)
        .ok_or_else(|| AppError::not_found("voice session"))?;
    if heard.video_id.is_some_and(|video| video != video_id) {
        return Err(AppError::bad_input(
            "videoId",
            "this voice session listens to another video than the transcript's",
        ));
    }
    if !heard.knows {
        return Err(AppError::bad_input(
            "utteranceId",
            "this voice session heard no utterance with this id",
        ));
    }
    Ok(())
}

/// The note for an utterance of `session_id` is stored: the session counts it (and publishes
/// its status, so `notesCreated` is current) and may have been waiting for it to stop.
pub async fn note_recorded(
    app: &AppState,
    session_id: Uuid,
    utterance_id: Option<String>,
    kept: bool,
) {
    if let Some(session) = app.voice.get(session_id) {
        session
            .tell(Message::NoteRecorded { utterance_id, kept })
            .await;
    }
}

/// Why the user's voice moves to `tab`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moving {
    /// A session is starting on `tab`: one already there is replaced at once.
    SessionStarting,
    /// `tab` claimed the video context.
    ContextClaimed,
}

/// The one-live-session rule (PROTOCOL.md 8.5): the user's voice lives on `tab` from now on.
/// Their sessions on other tabs end with `context_moved` once their utterance in flight has
/// been submitted; a session starting on `tab` replaces the one there at once.
pub async fn end_sessions_of_user(app: &AppState, user_id: Uuid, tab: &Tab, moving: Moving) {
    for session in app.voice.of_user(user_id) {
        let reason = StopReason::ContextMoved;
        if session.owner.tab() != *tab {
            session.tell(Message::StopAfterUtterance { reason }).await;
        } else if moving == Moving::SessionStarting {
            session
                .tell(Message::Stop {
                    reason,
                    reply: None,
                })
                .await;
        }
    }
}

/// The user's account was disabled: every live session of theirs ends now. The machine has no
/// reason of its own for this, so the sessions end as stopped (`user_stopped`).
pub async fn end_all_sessions_of_user(app: &AppState, user_id: Uuid) {
    for session in app.voice.of_user(user_id) {
        session
            .tell(Message::Stop {
                reason: StopReason::UserStopped,
                reply: None,
            })
            .await;
    }
}

/// The user's live session, if any (the deletions of a note count toward its feedback).
pub fn live_session_of(app: &AppState, user_id: Uuid) -> Option<Uuid> {
    app.voice.of_user(user_id).first().map(|handle| handle.id)
}

pub fn is_live(app: &AppState, session_id: Uuid) -> bool {
    app.voice.get(session_id).is_some()
}

/// `socket` of `user_id` closed: the sessions it drove disconnect. Other users' sessions are
/// not disturbed.
pub async fn socket_closed(app: &AppState, user_id: Uuid, socket: Uuid) {
    for session in app.voice.of_user(user_id) {
        session.tell(Message::SocketClosed { socket }).await;
    }
}
