//! The note operations behind the GraphQL mutations: check, decide, store, then publish.
//! Every check runs before the first write, so a refused request changes nothing.

use std::time::Instant;

use lossy_entities::{notes, videos};
use serde_json::json;
use uuid::Uuid;

use super::adjustments;
use super::checks;
use super::quality::{self, Decision, SessionFeedback, Verdict};
use super::status::NoteStatus;
use super::store::{self, Inserted, NewNote};
use super::stream::event::NoteEvent;
use super::structurer::{Category, Structured, Transcript};
use crate::analytics::Series;
use crate::error::{AppError, AppResult};
use crate::platforms;
use crate::state::AppState;
use crate::telemetry::{ServerEvent, TelemetryLevel, names};
use crate::voice;

/// A transcript as `submitTranscript` received it.
#[derive(Debug, Clone)]
pub struct Submission {
    pub utterance_id: String,
    pub session_id: Option<Uuid>,
    pub video_id: Uuid,
    pub media_time: f64,
    pub duration_ms: i32,
    pub text: String,
    pub confidence: Option<f64>,
    pub source: Option<String>,
}

/// A submission's fields that need no lookup, checked.
struct Checked {
    utterance_id: String,
    raw: String,
    heard: Option<f64>,
    duration_ms: i32,
    source: Option<String>,
}

impl Submission {
    fn checked(&self) -> AppResult<Checked> {
        Ok(Checked {
            utterance_id: checks::label(
                &self.utterance_id,
                "utteranceId",
                checks::MAX_LABEL_CHARS,
            )?,
            raw: checks::text(&self.text, "text")?.to_owned(),
            heard: self
                .confidence
                .map(|c| checks::confidence(c, "confidence"))
                .transpose()?,
            duration_ms: checks::duration_ms(self.duration_ms)?,
            source: self
                .source
                .as_deref()
                .map(|s| checks::label(s, "source", checks::MAX_LABEL_CHARS))
                .transpose()?,
        })
    }
}

/// `submitTranscript`: the user's note for the utterance, made now or earlier. The same
/// utterance id always answers the same note, also when duplicates arrive together.
pub async fn submit_transcript(
    app: &AppState,
    user_id: Uuid,
    submission: Submission,
) -> AppResult<notes::Model> {
    let received = Instant::now();
    let checked = submission.checked()?;
    // A resent transcript is answered with its note, without structuring it again (and
    // whatever became of its session meanwhile).
    if let Some(existing) =
        store::find_by_utterance(&app.db, user_id, &checked.utterance_id).await?
    {
        return Ok(existing);
    }
    let video = users_video(app, user_id, submission.video_id).await?;
    let media_time =
        checks::media_time(submission.media_time, video.duration_seconds, "mediaTime")?;
    if let Some(session_id) = submission.session_id {
        voice::service::utterance_heard(app, user_id, session_id, &checked.utterance_id, video.id)
            .await?;
    }

    let judged = judge(app, user_id, &video, submission.session_id, &checked).await?;
    let new = NewNote {
        user_id,
        video_id: video.id,
        voice_session_id: submission.session_id,
        utterance_id: Some(checked.utterance_id),
        text: judged.text,
        raw_transcript: checked.raw,
        category: judged.category,
        confidence: judged.confidence,
        timestamp_seconds: media_time,
        end_seconds: checks::end_seconds(media_time, checked.duration_ms, video.duration_seconds),
        status: judged.status,
        verdict: judged.verdict,
        structurer: transcript_structurer(app).name(),
        source: checked.source,
    };
    let note = match store::insert(&app.notes.writer, new).await? {
        Inserted::Existing(note) => return Ok(note),
        Inserted::Created(note, _) => note,
    };
    delivered(app, &note, judged.verdict, received).await;
    if app.refiner.is_some() && note.status == NoteStatus::Ghost.as_str() {
        // The note stands as it is if this fails; it only misses its polish.
        if let Err(err) = crate::jobs::refine::queue(app, &note).await {
            tracing::warn!(note = %note.id, error = ?err, "queueing the note's refinement failed");
        }
    }
    // After the refinement is marked: a note waiting for it is judged by the rule once refined.
    Ok(crate::jobs::post::note_created(app, note).await)
}

/// What structures a transcript at once: with an LLM configured, the built-in structurer
/// (the LLM refines the kept note later, in a job: `crate::jobs::refine`), else the server's.
fn transcript_structurer(app: &AppState) -> &dyn super::structurer::NoteStructurer {
    if app.refiner.is_some() {
        &super::builtin::BuiltinStructurer
    } else {
        app.structurer.as_ref()
    }
}

/// What the structurer and the gate made of a transcript.
struct Judged {
    text: String,
    category: Category,
    confidence: f64,
    status: NoteStatus,
    /// `None` for a cancellation, which the gate does not judge.
    verdict: Option<Verdict>,
}

async fn judge(
    app: &AppState,
    user_id: Uuid,
    video: &videos::Model,
    session: Option<Uuid>,
    checked: &Checked,
) -> AppResult<Judged> {
    let transcript = Transcript {
        text: &checked.raw,
        confidence: checked.heard,
    };
    let note = match transcript_structurer(app).structure(transcript).await {
        Structured::Note(note) => note,
        Structured::Cancelled => {
            return Ok(Judged {
                text: checked.raw.clone(),
                category: Category::General,
                confidence: checked.heard.unwrap_or(0.0),
                status: NoteStatus::Cancelled,
                verdict: None,
            });
        }
    };
    let feedback = session
        .map(|s| app.notes.feedback.of(s))
        .unwrap_or_default();
    let verdict = gate(
        app,
        user_id,
        video,
        note.category,
        note.confidence,
        &feedback,
    )
    .await?;
    Ok(Judged {
        text: note.text,
        category: note.category,
        confidence: note.confidence,
        status: match verdict.decision {
            Decision::Kept => NoteStatus::Ghost,
            Decision::Suppressed => NoteStatus::Suppressed,
        },
        verdict: Some(verdict),
    })
}

/// A new transcribed note is stored and published: record its delivery and decision, and tell
/// its voice session (which counts kept notes and may be waiting for this one to stop).
async fn delivered(
    app: &AppState,
    note: &notes::Model,
    verdict: Option<Verdict>,
    received: Instant,
) {
    let delivery = received.elapsed();
    metrics::histogram!("lossy_note_delivery_seconds").record(delivery.as_secs_f64());
    app.analytics.observe(Series::NoteDelivery, delivery);
    match verdict.map(|v| v.decision) {
        Some(Decision::Kept) => app.analytics.count(Series::NotesCreated, 1),
        Some(Decision::Suppressed) => app.analytics.count(Series::NotesSuppressed, 1),
        None => {}
    }
    record(
        app,
        note,
        names::NOTE_DELIVERED,
        json!({
            "latencyMs": delivery.as_secs_f64() * 1000.0,
            "structurer": note.structurer,
            "status": note.status,
        }),
    );
    if let Some(verdict) = verdict {
        metrics::counter!("lossy_note_quality_decisions_total", "decision" => verdict.decision.as_str())
            .increment(1);
        record(
            app,
            note,
            names::NOTE_QUALITY_DECISION,
            json!({
                "category": note.category,
                "confidence": note.confidence,
                "threshold": verdict.threshold,
                "decision": verdict.decision.as_str(),
                "reason": verdict.reason.as_str(),
            }),
        );
    }
    if let Some(session) = note.voice_session_id {
        let kept = verdict.is_some_and(|v| v.decision == Decision::Kept);
        voice::service::note_recorded(app, session, note.utterance_id.clone(), kept).await;
    }
}

/// The quality gate for one note: the user's base, their adjustments for the video's platform,
/// and what they deleted in this session.
async fn gate(
    app: &AppState,
    user_id: Uuid,
    video: &videos::Model,
    category: Category,
    confidence: f64,
    feedback: &SessionFeedback,
) -> AppResult<Verdict> {
    let base = app.settings.load(&app.db, user_id).await?.min_confidence;
    let adjustment = app
        .notes
        .adjustments
        .delta_for(&app.db, user_id, &video.platform, category)
        .await?;
    Ok(quality::decide(
        confidence, category, base, adjustment, feedback,
    ))
}

async fn users_video(app: &AppState, user_id: Uuid, video_id: Uuid) -> AppResult<videos::Model> {
    platforms::store::find_for_user(&app.db, user_id, video_id)
        .await?
        .ok_or_else(|| AppError::not_found("video"))
}

/// A note typed by hand.
#[derive(Debug, Clone)]
pub struct Typed {
    pub video_id: Uuid,
    pub text: String,
    /// When absent, the structurer's category for the text.
    pub category: Option<Category>,
    pub timestamp_seconds: f64,
    pub end_seconds: Option<f64>,
}

/// `createNote`: a typed note is the reviewer's own, so the gate does not judge it and it
/// starts `firmed`.
pub async fn create_note(app: &AppState, user_id: Uuid, typed: Typed) -> AppResult<notes::Model> {
    let text = checks::text(&typed.text, "text")?.to_owned();
    let video = users_video(app, user_id, typed.video_id).await?;
    let start = checks::media_time(
        typed.timestamp_seconds,
        video.duration_seconds,
        "timestampSeconds",
    )?;
    let end = typed
        .end_seconds
        .map(|end| checks::media_time(end, video.duration_seconds, "endSeconds"))
        .transpose()?;
    if end.is_some_and(|end| end < start) {
        return Err(AppError::bad_input(
            "endSeconds",
            "`endSeconds` must not be before `timestampSeconds`",
        ));
    }
    let category = match typed.category {
        Some(category) => category,
        // With an LLM configured this is the built-in structurer too: no request waits for
        // the LLM.
        None => match transcript_structurer(app)
            .structure(Transcript {
                text: &text,
                confidence: Some(1.0),
            })
            .await
        {
            Structured::Note(note) => note.category,
            Structured::Cancelled => Category::General,
        },
    };
    let new = NewNote {
        user_id,
        video_id: video.id,
        voice_session_id: None,
        utterance_id: None,
        text: text.clone(),
        raw_transcript: text,
        category,
        confidence: 1.0,
        timestamp_seconds: start,
        end_seconds: end,
        status: NoteStatus::Firmed,
        verdict: None,
        structurer: "manual",
        source: Some("typed".to_owned()),
    };
    let note = match store::insert(&app.notes.writer, new).await? {
        Inserted::Created(note, _) => {
            app.analytics.count(Series::NotesCreated, 1);
            note
        }
        Inserted::Existing(note) => note,
    };
    Ok(crate::jobs::post::note_created(app, note).await)
}

/// What `updateNote` changes; absent fields stay.
#[derive(Debug, Clone)]
pub struct Edit {
    pub id: Uuid,
    /// The version the client last saw.
    pub version: i64,
    pub text: Option<String>,
    pub category: Option<Category>,
    pub status: Option<NoteStatus>,
}

/// `updateNote`, with optimistic concurrency: a stale version is refused with `CONFLICT`.
pub async fn update_note(app: &AppState, user_id: Uuid, edit: Edit) -> AppResult<notes::Model> {
    let text = edit
        .text
        .as_deref()
        .map(|t| checks::text(t, "text"))
        .transpose()?
        .map(str::to_owned);
    let current = users_note(app, user_id, edit.id).await?;
    if current.deleted_at.is_some() {
        return Err(deleted_note());
    }
    if current.version != edit.version {
        return Err(AppError::Conflict(format!(
            "the note is at version {}, not {}; read it again and retry",
            current.version, edit.version
        )));
    }
    let from = store::stored_status(&current.status)?;
    if let Some(to) = edit.status
        && !from.can_move_to(to)
    {
        return Err(AppError::bad_input(
            "status",
            format!("a {} note cannot become {}", from.as_str(), to.as_str()),
        ));
    }
    let mut changed = current.clone();
    if let Some(text) = text {
        changed.text = text;
    }
    if let Some(category) = edit.category {
        changed.category = category.as_str().to_owned();
    }
    if let Some(status) = edit.status {
        changed.status = status.as_str().to_owned();
    }
    if changed == current {
        return Ok(current);
    }
    changed.version += 1;
    changed.updated_at = store::now();
    save(app, &changed, NoteEvent::updated(&changed)).await?;
    Ok(changed)
}

/// `deleteNote`: soft, so it can be restored and counted. Deleting counts toward the user's
/// live voice session's feedback for the quality gate.
pub async fn delete_note(
    app: &AppState,
    user_id: Uuid,
    id: Uuid,
    reason: Option<String>,
) -> AppResult<notes::Model> {
    let reason = reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    if reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > checks::MAX_REASON_CHARS)
    {
        return Err(AppError::bad_input(
            "reason",
            format!(
                "`reason` is longer than {} characters",
                checks::MAX_REASON_CHARS
            ),
        ));
    }
    let current = users_note(app, user_id, id).await?;
    if current.deleted_at.is_some() {
        return Err(AppError::Refused {
            code: "NOTE_ALREADY_DELETED",
            status: axum::http::StatusCode::CONFLICT,
            message: "this note is already deleted; restore it first".into(),
        });
    }
    let mut changed = current.clone();
    changed.version += 1;
    changed.updated_at = store::now();
    changed.deleted_at = Some(changed.updated_at);
    changed.delete_reason = reason;
    let deleted = NoteEvent::Deleted {
        note_id: changed.id,
        video_id: changed.video_id,
    };
    save(app, &changed, deleted).await?;
    let category = store::stored_category(&changed.category)?;
    let session = live_session_of(app, user_id);
    record(
        app,
        &changed,
        names::NOTE_DELETED,
        json!({
            "category": changed.category,
            "reason": changed.delete_reason,
            "feedbackSession": session,
        }),
    );
    if let Some(session) = session
        && app.notes.feedback.deleted(session, category)
    {
        raised(app, user_id, &changed, category, session).await?;
    }
    Ok(changed)
}

/// The fifth deletion of a category in a session raised its threshold: recorded, and learned
/// as an adjustment for the video's platform.
async fn raised(
    app: &AppState,
    user_id: Uuid,
    note: &notes::Model,
    category: Category,
    session: Uuid,
) -> AppResult<()> {
    let video = users_video(app, user_id, note.video_id).await?;
    adjustments::learn(&app.lane, user_id, &video.platform, category, session).await?;
    app.notes.adjustments.forget(user_id);
    record(
        app,
        note,
        names::NOTE_QUALITY_RAISED,
        json!({ "category": category.as_str(), "platform": video.platform, "feedbackSession": session }),
    );
    Ok(())
}

/// `restoreNote`: undoes a deletion (and takes it back from the session's feedback).
pub async fn restore_note(app: &AppState, user_id: Uuid, id: Uuid) -> AppResult<notes::Model> {
    let current = users_note(app, user_id, id).await?;
    if current.deleted_at.is_none() {
        return Err(AppError::Refused {
            code: "NOTE_NOT_DELETED",
            status: axum::http::StatusCode::CONFLICT,
            message: "this note is not deleted".into(),
        });
    }
    let mut changed = current.clone();
    changed.version += 1;
    changed.updated_at = store::now();
    changed.deleted_at = None;
    changed.delete_reason = None;
    save(app, &changed, NoteEvent::updated(&changed)).await?;
    let session = live_session_of(app, user_id);
    if let Some(session) = session {
        app.notes
            .feedback
            .restored(session, store::stored_category(&changed.category)?);
    }
    record(
        app,
        &changed,
        names::NOTE_RESTORED,
        json!({ "category": changed.category, "feedbackSession": session }),
    );
    Ok(changed)
}

async fn users_note(app: &AppState, user_id: Uuid, id: Uuid) -> AppResult<notes::Model> {
    store::find_for_user(&app.db, user_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("note"))
}

fn deleted_note() -> AppError {
    AppError::Refused {
        code: "NOTE_DELETED",
        status: axum::http::StatusCode::CONFLICT,
        message: "this note is deleted; restore it before changing it".into(),
    }
}

/// The user's live voice session, whose feedback a deletion counts toward. Feedback of
/// sessions that ended is forgotten here, so it never outlives its session.
fn live_session_of(app: &AppState, user_id: Uuid) -> Option<Uuid> {
    app.notes
        .feedback
        .retain_live(|id| voice::service::is_live(app, id));
    voice::service::live_session_of(app, user_id)
}

/// Writes a change to a note with its event, which goes out once committed.
async fn save(app: &AppState, changed: &notes::Model, event: NoteEvent) -> AppResult<()> {
    store::save(&app.lane, &app.notes.stream, changed, event).await
}

/// Records a server event about `note`; `properties` (an object) gain its note and video ids.
fn record(
    app: &AppState,
    note: &notes::Model,
    name: &'static str,
    mut properties: serde_json::Value,
) {
    if let Some(map) = properties.as_object_mut() {
        map.insert("noteId".into(), json!(note.id));
        map.insert("videoId".into(), json!(note.video_id));
    }
    let mut event = ServerEvent::new(name, TelemetryLevel::Info)
        .user(note.user_id)
        .properties(properties);
    if let Some(session) = note.voice_session_id {
        event = event.session(session);
    }
    app.telemetry.record(event);
}
