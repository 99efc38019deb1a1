//! `PostNote`: a reviewer sends a note to their integration (`postNote`), or the user's rule
//! does as the note is made ([`by_rule`]); this job delivers it to the user's webhook. The
//! note's status moves `queued` → `posting` → `posted`, or to `failed` /
//! `needs_intervention` with the reason (`Note.statusReason`), each move a `NoteUpdated`
//! (PROTOCOL.md section 6.2).
//!
//! - One posting is one job, keyed by its delivery id; the job acts only while the note's
//!   latest posting is that one and the note is `queued` or `posting`. So a posting that was
//!   delivered is never sent again, and a reviewer who takes the note back (to `firmed`) or
//!   deletes it stops the job.
//! - A try that may fare better later (a timeout, 5xx, 408, 429, no connection) is retried
//!   with backoff; after the last try the note is `failed` and the job dead (an admin can
//!   retry it). A redirect or another 4xx (and a missing webhook) needs the reviewer: the note
//!   is `needs_intervention`, and posting it again starts a new posting.
//! - If the server stops after the receiver accepted a try and before `posted` was recorded,
//!   the posting is tried again after the restart with the same `X-Lossy-Delivery` id.

use apalis::prelude::{Attempt, BoxDynError, Data};
use lossy_entities::{note_posts, note_refinements, notes, videos};
use sea_orm::EntityTrait;
use uuid::Uuid;

use super::kinds::{JobKind, PostNote};
use super::refine::{Outcome, RefinementState};
use super::write::{self, JobRow, Saved};
use crate::error::{AppError, AppResult};
use crate::integrations::auto_post::AutoPost;
use crate::integrations::{self, webhook};
use crate::notes::status::NoteStatus;
use crate::notes::store;
use crate::state::AppState;

/// `postNote`: queues the user's note for their webhook. A note already queued or posting is
/// answered as it is.
pub async fn post_note(app: &AppState, user_id: Uuid, note_id: Uuid) -> AppResult<notes::Model> {
    let note = store::find_for_user(&app.db, user_id, note_id)
        .await?
        .ok_or_else(|| AppError::not_found("note"))?;
    if note.deleted_at.is_some() {
        return Err(AppError::Refused {
            code: "NOTE_DELETED",
            status: axum::http::StatusCode::CONFLICT,
            message: "this note is deleted; restore it before posting it".into(),
        });
    }
    let status = store::stored_status(&note.status)?;
    if matches!(status, NoteStatus::Queued | NoteStatus::Posting) {
        return Ok(note);
    }
    if !status.can_move_to(NoteStatus::Queued) {
        return Err(AppError::bad_input(
            "id",
            format!("a {} note cannot be posted", status.as_str()),
        ));
    }
    if integrations::webhook_of(&app.db, user_id).await?.is_none() {
        return Err(AppError::Refused {
            code: "NO_INTEGRATION",
            status: axum::http::StatusCode::CONFLICT,
            message: "set a webhook (setWebhook) before posting notes".into(),
        });
    }
    let job = PostNote {
        note_id,
        delivery_id: Uuid::new_v4().to_string(),
    };
    let (changed, posting) = queued(&note, &job);
    if write::save(app, &changed, &[JobRow::Post(posting)]).await? == Saved::Conflict {
        return Err(AppError::Conflict(
            "the note changed meanwhile; read it again and retry".into(),
        ));
    }
    // Queued after the note's move is committed: if the server stops in between, the
    // start-up sweep queues it.
    push(app, &job).await?;
    Ok(changed)
}

/// A note just made (`submitTranscript`, `createNote`): posted now if its user's rule asks
/// for it ([`by_rule`]); answers the note as it then stands (`queued` if posted). A failure
/// is logged; the note stands, unposted.
pub async fn note_created(app: &AppState, note: notes::Model) -> notes::Model {
    // Suppressed and cancelled notes, which the rule never posts: no reads.
    if !matches!(
        NoteStatus::parse(&note.status),
        Some(NoteStatus::Ghost | NoteStatus::Firmed)
    ) {
        return note;
    }
    // Most reviewers have no rule: then one read settles a new note, instead of the four
    // `by_rule` makes to judge the note as stored.
    match rule_of(app, note.user_id).await {
        Ok(Some(_)) => {}
        Ok(None) => return note,
        Err(err) => {
            tracing::warn!(note = %note.id, error = ?err, "reading the note's posting rule failed");
            return note;
        }
    }
    match by_rule(app, note.id).await {
        Ok(Some(queued)) => queued,
        Ok(None) => note,
        Err(err) => {
            tracing::warn!(note = %note.id, error = ?err, "posting the note by its rule failed");
            note
        }
    }
}

/// Posts `note_id` as `postNote` would if its user's webhook has a rule that matches it
/// (`integrations::auto_post`), and answers the note it queued, if it did. Checked on the
/// note as stored, so calling it again is harmless:
///
/// - only a note kept by the gate (`ghost`) or typed (`firmed`), never suppressed, cancelled
///   or deleted, and never one that was posted before (it has a posting): by a reviewer, or
///   by this rule already;
/// - not while its LLM refinement is pending: the refined category, confidence and text are
///   the ones judged and posted; the refinement job calls this once it ends;
/// - the posting's delivery id is derived from the note ([`rule_delivery_id`]), so two calls
///   racing queue one job (same key) and write one posting (the loser's write meets the
///   winner's version and reads the note again, now `queued`).
pub async fn by_rule(app: &AppState, note_id: Uuid) -> AppResult<Option<notes::Model>> {
    for _ in 0..WRITE_TRIES {
        let Some(note) = notes::Entity::find_by_id(note_id).one(&app.db).await? else {
            return Ok(None);
        };
        let kept = matches!(
            store::stored_status(&note.status)?,
            NoteStatus::Ghost | NoteStatus::Firmed
        );
        if !kept || note.deleted_at.is_some() {
            return Ok(None);
        }
        let refining = note_refinements::Entity::find_by_id(note_id)
            .one(&app.db)
            .await?
            .is_some_and(|r| r.state == RefinementState::Pending.as_str());
        if refining
            || note_posts::Entity::find_by_id(note_id)
                .one(&app.db)
                .await?
                .is_some()
        {
            return Ok(None);
        }
        let Some(rule) = rule_of(app, note.user_id).await? else {
            return Ok(None);
        };
        if !rule.matches(&note.category, note.confidence) {
            return Ok(None);
        }
        let job = PostNote {
            note_id,
            delivery_id: rule_delivery_id(note_id).to_string(),
        };
        let (changed, posting) = queued(&note, &job);
        if write::save(app, &changed, &[JobRow::Post(posting)]).await? == Saved::Saved {
            // As `postNote`: queued after the move is committed; the start-up sweep queues it
            // if the server stops in between.
            push(app, &job).await?;
            return Ok(Some(changed));
        }
    }
    Ok(None)
}

/// The user's rule for posting notes by themselves, if their webhook has one.
async fn rule_of(app: &AppState, user_id: Uuid) -> AppResult<Option<AutoPost>> {
    Ok(integrations::webhook_of(&app.db, user_id)
        .await?
        .as_ref()
        .and_then(AutoPost::of))
}

/// `note` moved to `queued` for `job`'s posting, and that posting's first row: what
/// `postNote` and the rule both write.
fn queued(note: &notes::Model, job: &PostNote) -> (notes::Model, note_posts::Model) {
    let now = store::now();
    let mut changed = note.clone();
    changed.status = NoteStatus::Queued.as_str().to_owned();
    changed.version += 1;
    changed.updated_at = now;
    let posting = note_posts::Model {
        note_id: note.id,
        user_id: note.user_id,
        integration: "webhook".into(),
        delivery_id: job.delivery_id.clone(),
        attempts: 0,
        reason: None,
        queued_at: now,
        posted_at: None,
        updated_at: now,
    };
    (changed, posting)
}

/// The delivery id of a note's posting by rule: a UUID (version 8, "custom") made from a
/// hash of the note's id, the same for every evaluation of the rule on that note. A
/// reviewer's posting gets a random one.
pub fn rule_delivery_id(note_id: Uuid) -> Uuid {
    use sha2::Digest;
    let digest = sha2::Sha256::new()
        .chain_update(b"lossy posting by rule\0")
        .chain_update(note_id.as_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

pub async fn push(app: &AppState, job: &PostNote) -> AppResult<()> {
    app.jobs
        .queue
        .push(
            JobKind::PostNote,
            job,
            &job.key(),
            app.config.jobs.post_attempts as usize,
        )
        .await
}

/// The worker's handler: one try of one posting.
pub async fn run(job: PostNote, app: Data<AppState>, attempt: Attempt) -> Result<(), BoxDynError> {
    let attempt = attempt.current().max(1) as i32;
    let result = match post(&app, &job, attempt).await {
        Ok(outcome) => outcome.into_result(),
        Err(err) => Err(format!("{err:?}").into()),
    };
    super::settle(
        JobKind::PostNote,
        attempt,
        app.config.jobs.post_attempts,
        result,
    )
}

/// The note and posting this job may act on, or `None` when it has nothing to do.
async fn current(
    app: &AppState,
    job: &PostNote,
) -> AppResult<Option<(notes::Model, note_posts::Model)>> {
    let Some(note) = notes::Entity::find_by_id(job.note_id).one(&app.db).await? else {
        return Ok(None);
    };
    let Some(posting) = note_posts::Entity::find_by_id(job.note_id)
        .one(&app.db)
        .await?
    else {
        return Ok(None);
    };
    let status = store::stored_status(&note.status)?;
    let ours = posting.delivery_id == job.delivery_id;
    let moving = matches!(status, NoteStatus::Queued | NoteStatus::Posting);
    Ok((ours && moving && note.deleted_at.is_none()).then_some((note, posting)))
}

/// Writes the note at `status` with `posting`; answers whether it was written.
async fn move_to(
    app: &AppState,
    note: &notes::Model,
    status: NoteStatus,
    posting: note_posts::Model,
) -> AppResult<bool> {
    let mut changed = note.clone();
    changed.status = status.as_str().to_owned();
    changed.version += 1;
    changed.updated_at = posting.updated_at;
    Ok(write::save(app, &changed, &[JobRow::Post(posting)]).await? == Saved::Saved)
}

/// Writes a reviewer's move (or another run) can meet between the read and the write.
const WRITE_TRIES: usize = 3;

async fn post(app: &AppState, job: &PostNote, attempt: i32) -> AppResult<Outcome> {
    let max = app.config.jobs.post_attempts as i32;
    // `posting`, written before anything is sent.
    let mut started = None;
    for _ in 0..WRITE_TRIES {
        let Some((note, mut posting)) = current(app, job).await? else {
            return Ok(Outcome::Done);
        };
        posting.attempts = attempt;
        posting.updated_at = store::now();
        if store::stored_status(&note.status)? == NoteStatus::Posting {
            write::put_rows(app, &[JobRow::Post(posting.clone())]).await?;
            started = Some((note, posting));
            break;
        }
        if move_to(app, &note, NoteStatus::Posting, posting.clone()).await? {
            let mut note = note;
            note.status = NoteStatus::Posting.as_str().to_owned();
            note.version += 1;
            note.updated_at = posting.updated_at;
            started = Some((note, posting));
            break;
        }
    }
    let Some((note, mut posting)) = started else {
        return Ok(Outcome::Retry(
            "the note kept changing while it was being posted".into(),
        ));
    };

    let outcome = match integrations::webhook_of(&app.db, note.user_id).await? {
        None => webhook::Delivery::NeedsIntervention("no webhook is set".into()),
        Some(hook) => {
            let video = videos::Entity::find_by_id(note.video_id)
                .one(&app.db)
                .await?;
            let body = webhook::payload(&note, video.as_ref(), &job.delivery_id).to_string();
            app.jobs
                .webhooks
                .deliver(&hook, &job.delivery_id, body.as_bytes())
                .await
        }
    };
    posting.updated_at = store::now();
    let (status, result) = match outcome {
        webhook::Delivery::Delivered => {
            posting.posted_at = Some(posting.updated_at);
            posting.reason = None;
            (NoteStatus::Posted, Outcome::Done)
        }
        webhook::Delivery::NeedsIntervention(reason) => {
            posting.reason = Some(reason);
            (NoteStatus::NeedsIntervention, Outcome::Done)
        }
        webhook::Delivery::Retry(reason) if attempt < max => {
            // Still posting: the reason of this try is kept for the next one to replace.
            posting.reason = Some(reason.clone());
            write::put_rows(app, &[JobRow::Post(posting)]).await?;
            return Ok(Outcome::Retry(reason));
        }
        webhook::Delivery::Retry(reason) => {
            posting.reason = Some(reason.clone());
            (NoteStatus::Failed, Outcome::GiveUp(reason))
        }
    };
    for _ in 0..WRITE_TRIES {
        // Re-read: the reviewer may have moved the note while it was being sent.
        let Some((note, _)) = current(app, job).await? else {
            return Ok(Outcome::Done);
        };
        if move_to(app, &note, status, posting.clone()).await? {
            return Ok(result);
        }
    }
    Ok(Outcome::Retry(
        "the note kept changing while its posting was recorded".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notes_rule_delivery_id_is_its_own_and_always_the_same() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        assert_eq!(rule_delivery_id(a), rule_delivery_id(a));
        assert_ne!(rule_delivery_id(a), rule_delivery_id(b));
        assert_ne!(rule_delivery_id(a), a);
        assert_eq!(rule_delivery_id(a).get_version_num(), 8);
    }
}
