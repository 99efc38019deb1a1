//! Persistence of voice sessions: the row (with the machine's full snapshot) and the transition
//! log. A step's transitions and snapshot are written in one transaction before its effects are
//! published, so what clients saw can always be rebuilt.

use chrono::{DateTime, Utc};
use lossy_entities::{voice_session_transitions, voice_sessions};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use super::machine::{Command, Transition, VoiceMachine};
use crate::error::{AppError, AppResult};

/// Who owns a session and where it runs; fixed for its life.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionOwner {
    pub user_id: Uuid,
    pub device_id: Uuid,
    pub video_id: Option<Uuid>,
    pub tab_id: i32,
    pub page_instance_id: String,
}

/// One step as it is written: the machine after it, and what happened.
pub struct StepRecord<'a> {
    pub machine: &'a VoiceMachine,
    /// The event that caused the step, if any.
    pub seq: Option<i64>,
    pub transitions: &'a [Transition],
    /// The step's first command, kept with its last transition.
    pub command: Option<Command>,
    pub at: DateTime<Utc>,
}

pub async fn insert(
    db: &DatabaseConnection,
    id: Uuid,
    owner: &SessionOwner,
    step: StepRecord<'_>,
) -> AppResult<voice_sessions::Model> {
    let txn = db.begin().await?;
    let row = voice_sessions::ActiveModel {
        id: Set(id),
        user_id: Set(owner.user_id),
        device_id: Set(owner.device_id),
        video_id: Set(owner.video_id),
        tab_id: Set(owner.tab_id),
        page_instance_id: Set(owner.page_instance_id.clone()),
        state: Set(step.machine.state().as_str().to_owned()),
        last_applied_seq: Set(step.machine.last_applied_seq()),
        counters: Set(counters(step.machine)?),
        machine: Set(snapshot(step.machine)?),
        started_at: Set(step.at),
        updated_at: Set(step.at),
        last_event_at: Set(step.at),
        ended_at: Set(None),
        end_reason: Set(None),
    }
    .insert(&txn)
    .await?;
    insert_transitions(&txn, id, &step).await?;
    txn.commit().await?;
    Ok(row)
}

/// Writes one step: the new snapshot (and the end, when the session closed) and its
/// transitions, atomically.
pub async fn save_step(db: &DatabaseConnection, id: Uuid, step: StepRecord<'_>) -> AppResult<()> {
    save_steps(db, &[(id, step)]).await
}

/// Writes the steps of several sessions in one transaction (see `writer`): each session's
/// row, then all their transitions in one insert.
pub async fn save_steps(
    db: &DatabaseConnection,
    steps: &[(Uuid, StepRecord<'_>)],
) -> AppResult<()> {
    let txn = db.begin().await?;
    for (id, step) in steps {
        let mut row = voice_sessions::ActiveModel {
            id: Set(*id),
            state: Set(step.machine.state().as_str().to_owned()),
            last_applied_seq: Set(step.machine.last_applied_seq()),
            counters: Set(counters(step.machine)?),
            machine: Set(snapshot(step.machine)?),
            updated_at: Set(step.at),
            ..Default::default()
        };
        if step.seq.is_some() {
            row.last_event_at = Set(step.at);
        }
        if let Some(reason) = step.machine.end_reason() {
            row.ended_at = Set(Some(step.at));
            row.end_reason = Set(Some(reason.as_str().to_owned()));
        }
        row.update(&txn).await?;
    }
    let transitions: Vec<_> = steps
        .iter()
        .flat_map(|(id, step)| transition_rows(*id, step))
        .collect();
    if !transitions.is_empty() {
        voice_session_transitions::Entity::insert_many(transitions)
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

async fn insert_transitions(
    db: &impl ConnectionTrait,
    session_id: Uuid,
    step: &StepRecord<'_>,
) -> AppResult<()> {
    let rows = transition_rows(session_id, step);
    if !rows.is_empty() {
        voice_session_transitions::Entity::insert_many(rows)
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The transition log rows of one step; its command goes with its last transition.
fn transition_rows(
    session_id: Uuid,
    step: &StepRecord<'_>,
) -> Vec<voice_session_transitions::ActiveModel> {
    let last = step.transitions.len().saturating_sub(1);
    step.transitions
        .iter()
        .enumerate()
        .map(|(i, t)| voice_session_transitions::ActiveModel {
            id: Set(Uuid::new_v4()),
            session_id: Set(session_id),
            seq: Set(step.seq),
            // A session's first transition comes from nothing: `new`, as in PROTOCOL.md 5.1.
            from_state: Set(t.from.map_or("new", |state| state.as_str()).to_owned()),
            to_state: Set(t.to.as_str().to_owned()),
            cause: Set(t.cause.as_str().to_owned()),
            command: Set(step
                .command
                .filter(|_| i == last)
                .map(|c| c.as_str().to_owned())),
            occurred_at: Set(step.at),
        })
        .collect()
}

fn counters(machine: &VoiceMachine) -> AppResult<serde_json::Value> {
    Ok(serde_json::to_value(machine.counters()).map_err(anyhow::Error::from)?)
}

fn snapshot(machine: &VoiceMachine) -> AppResult<serde_json::Value> {
    Ok(serde_json::to_value(machine).map_err(anyhow::Error::from)?)
}

/// The machine stored in a row. A snapshot that does not parse (written by an incompatible
/// version) is an internal error for that session only.
pub fn machine_of(row: &voice_sessions::Model) -> AppResult<VoiceMachine> {
    serde_json::from_value(row.machine.clone()).map_err(|err| {
        AppError::Internal(
            anyhow::Error::new(err).context(format!("voice session {} snapshot", row.id)),
        )
    })
}

pub fn owner_of(row: &voice_sessions::Model) -> SessionOwner {
    SessionOwner {
        user_id: row.user_id,
        device_id: row.device_id,
        video_id: row.video_id,
        tab_id: row.tab_id,
        page_instance_id: row.page_instance_id.clone(),
    }
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<voice_sessions::Model>> {
    Ok(voice_sessions::Entity::find_by_id(id).one(db).await?)
}

/// Sessions that had not ended when the server stopped.
pub async fn unfinished(db: &impl ConnectionTrait) -> AppResult<Vec<voice_sessions::Model>> {
    Ok(voice_sessions::Entity::find()
        .filter(voice_sessions::Column::EndedAt.is_null())
        .all(db)
        .await?)
}

/// The user's sessions, newest first, keyset-paged on (started_at, id).
pub async fn page_for_user(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    active: Option<bool>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u64,
) -> AppResult<Vec<voice_sessions::Model>> {
    use sea_orm::Condition;
    let mut query = voice_sessions::Entity::find()
        .filter(voice_sessions::Column::UserId.eq(user_id))
        .order_by_desc(voice_sessions::Column::StartedAt)
        .order_by_desc(voice_sessions::Column::Id)
        .limit(limit);
    query = match active {
        Some(true) => query.filter(voice_sessions::Column::EndedAt.is_null()),
        Some(false) => query.filter(voice_sessions::Column::EndedAt.is_not_null()),
        None => query,
    };
    if let Some((at, id)) = after {
        query = query.filter(
            Condition::any()
                .add(voice_sessions::Column::StartedAt.lt(at))
                .add(
                    Condition::all()
                        .add(voice_sessions::Column::StartedAt.eq(at))
                        .add(voice_sessions::Column::Id.lt(id)),
                ),
        );
    }
    Ok(query.all(db).await?)
}
