//! The event log in the database: each change to a user's notes is appended with the user's
//! next offsets inside the transaction that makes the change, and read back by offset for
//! replay and catch-up. Old events are pruned after the retention window.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use lossy_entities::{note_event_offsets as offsets, note_events as events};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Statement,
};
use uuid::Uuid;

use super::event::{NoteEvent, Sequenced};
use crate::error::{AppError, AppResult};
use crate::notes::store;

/// One user's new events, as a write hands them to the log.
pub type UserEvents = (Uuid, Vec<NoteEvent>);

/// Appends each user's `events` and, after them, each of their videos' summaries as they stand
/// inside `txn` (the summary that follows a change counts it), numbered with each user's next
/// offsets. However many users a batch holds, this is three statements: the summaries, the
/// offsets and the events (on SQLite each statement is a hand-off to the connection's thread).
pub async fn append(
    txn: &DatabaseTransaction,
    changes: Vec<UserEvents>,
    now: DateTime<Utc>,
) -> AppResult<Vec<(Uuid, Vec<Sequenced>)>> {
    let changes = one_entry_per_user(changes);
    if changes.iter().all(|(_, events)| events.is_empty()) {
        // A batch of resent notes only: nothing changed, nothing to read or number.
        return Ok(Vec::new());
    }
    let changes = with_summaries(txn, changes).await?;
    let counts: Vec<(Uuid, i64)> = changes
        .iter()
        .map(|(user_id, events)| (*user_id, events.len() as i64))
        .filter(|(_, count)| *count > 0)
        .collect();
    let lasts = take_offsets(txn, &counts).await?;
    let mut logged = Vec::with_capacity(changes.len());
    let mut rows = Vec::new();
    for (user_id, events) in changes {
        let count = events.len() as i64;
        let last = lasts.get(&user_id).copied().unwrap_or_default();
        let sequenced: Vec<Sequenced> = events
            .into_iter()
            .zip(last - count + 1..)
            .map(|(event, seq)| Sequenced { seq, event })
            .collect();
        for s in &sequenced {
            rows.push(
                events::Model {
                    user_id,
                    seq: s.seq,
                    video_id: s.event.video_id(),
                    kind: s.event.kind().to_owned(),
                    payload: serde_json::to_string(&s.event)
                        .map_err(|err| AppError::Internal(err.into()))?,
                    created_at: now,
                }
                .into_active_model(),
            );
        }
        logged.push((user_id, sequenced));
    }
    events::Entity::insert_many(rows)
        .exec_without_returning(txn)
        .await?;
    Ok(logged)
}

/// The changes with each user's events together, in the order users first appear: a user's
/// offsets are taken once per statement.
fn one_entry_per_user(changes: Vec<UserEvents>) -> Vec<UserEvents> {
    let mut merged: Vec<UserEvents> = Vec::with_capacity(changes.len());
    for (user_id, events) in changes {
        match merged.iter_mut().find(|(user, _)| *user == user_id) {
            Some((_, known)) => known.extend(events),
            None => merged.push((user_id, events)),
        }
    }
    merged
}

/// Each user's events followed by their videos' summaries, read in one query for all of them.
async fn with_summaries(
    txn: &DatabaseTransaction,
    changes: Vec<UserEvents>,
) -> AppResult<Vec<UserEvents>> {
    let videos_of = |events: &[NoteEvent]| {
        let mut videos: Vec<Uuid> = Vec::new();
        for event in events {
            let video = event.video_id();
            if !videos.contains(&video) {
                videos.push(video);
            }
        }
        videos
    };
    let all: Vec<Uuid> = changes
        .iter()
        .flat_map(|(_, events)| videos_of(events))
        .collect();
    let mut summaries = store::summaries(txn, &all).await?;
    Ok(changes
        .into_iter()
        .map(|(user_id, mut events)| {
            for video_id in videos_of(&events) {
                let counts = summaries.remove(&video_id).unwrap_or_default();
                events.push(NoteEvent::Summary {
                    video_id,
                    counts: counts.into(),
                });
            }
            (user_id, events)
        })
        .collect())
}

/// Moves each user's last offset `count` ahead and answers the new last offsets, in one
/// statement. The rows' updates are what order two writes of one user on PostgreSQL (the
/// second waits for the first to commit); users go in id order so that two nodes' batches
/// lock their rows in the same order and never deadlock.
async fn take_offsets(
    txn: &DatabaseTransaction,
    counts: &[(Uuid, i64)],
) -> AppResult<HashMap<Uuid, i64>> {
    if counts.is_empty() {
        return Ok(HashMap::new());
    }
    let mut counts = counts.to_vec();
    counts.sort_unstable_by_key(|(user_id, _)| *user_id);
    let rows = counts.iter().map(|(user_id, count)| {
        offsets::Model {
            user_id: *user_id,
            last_seq: *count,
        }
        .into_active_model()
    });
    let taken = offsets::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(offsets::Column::UserId)
                .value(
                    offsets::Column::LastSeq,
                    Expr::col((offsets::Entity, offsets::Column::LastSeq)).add(Expr::col((
                        Alias::new("excluded"),
                        offsets::Column::LastSeq,
                    ))),
                )
                .to_owned(),
        )
        .exec_with_returning(txn)
        .await?;
    if taken.len() != counts.len() {
        return Err(AppError::Internal(anyhow::anyhow!(
            "{} users' offsets taken for {} users",
            taken.len(),
            counts.len()
        )));
    }
    Ok(taken
        .into_iter()
        .map(|row| (row.user_id, row.last_seq))
        .collect())
}

/// The user's last offset; 0 before their first event.
pub async fn last_seq(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<i64> {
    Ok(offsets::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .map_or(0, |row| row.last_seq))
}

/// The user's events after `after` up to `through` (of one video, or all), oldest first, at
/// most `limit`.
pub async fn read(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    video_id: Option<Uuid>,
    after: i64,
    through: i64,
    limit: u64,
) -> AppResult<Vec<Sequenced>> {
    let mut query = events::Entity::find()
        .filter(events::Column::UserId.eq(user_id))
        .filter(events::Column::Seq.gt(after))
        .filter(events::Column::Seq.lte(through))
        .order_by_asc(events::Column::Seq)
        .limit(limit);
    if let Some(video_id) = video_id {
        query = query.filter(events::Column::VideoId.eq(video_id));
    }
    query
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            let event = serde_json::from_str(&row.payload).map_err(|err| {
                AppError::Internal(anyhow::anyhow!(
                    "note event {} of user {user_id} does not read back: {err}",
                    row.seq
                ))
            })?;
            Ok(Sequenced {
                seq: row.seq,
                event,
            })
        })
        .collect()
}

/// Whether every event after `since` can still be replayed: it must not be ahead of the user's
/// last offset, and the event right after it must still be in the log and within retention
/// (events go oldest first, so then all later ones are there too).
pub async fn check_since(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    since: i64,
    kept_from: DateTime<Utc>,
) -> AppResult<()> {
    let last = last_seq(db, user_id).await?;
    if since > last {
        return Err(AppError::bad_input(
            "since",
            "`since` is ahead of your latest event; pass an offset from this stream's events",
        ));
    }
    if since == last {
        return Ok(());
    }
    let next = events::Entity::find_by_id((user_id, since + 1))
        .one(db)
        .await?;
    match next {
        Some(event) if event.created_at >= kept_from => Ok(()),
        _ => Err(expired()),
    }
}

pub fn expired() -> AppError {
    AppError::Refused {
        code: "EVENTS_EXPIRED",
        status: axum::http::StatusCode::GONE,
        message: "events after this offset are no longer kept; reload the notes and subscribe \
                  without `since`"
            .into(),
    }
}

/// Deletes events older than `kept_from`. For each user it deletes a prefix (everything up to
/// the newest expired event), so the log never has a hole that replay would skip over.
pub async fn prune(db: &impl ConnectionTrait, kept_from: DateTime<Utc>) -> AppResult<u64> {
    let backend = db.get_database_backend();
    let placeholder = match backend {
        sea_orm::DatabaseBackend::Postgres => "$1",
        _ => "?",
    };
    let sql = format!(
        "DELETE FROM note_events WHERE seq <= (SELECT MAX(expired.seq) FROM note_events expired \
         WHERE expired.user_id = note_events.user_id AND expired.created_at < {placeholder})"
    );
    let result = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [kept_from.into()],
        ))
        .await?;
    Ok(result.rows_affected())
}
