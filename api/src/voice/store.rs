//! Persistence of voice sessions: the row (with the machine's full snapshot) and the transition
//! log. A step's transitions and snapshot are written in one transaction before its effects are
//! published, so what clients saw can always be rebuilt.

use chrono::{DateTime, Utc};
use lossy_entities::{voice_session_transitions, voice_sessions};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, Statement, Value,
};
use uuid::Uuid;

use super::machine::{Command, Transition, VoiceMachine};
use crate::context::Tab;
use crate::db::keyset::older_than;
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

impl SessionOwner {
    /// The tab the session runs on.
    pub fn tab(&self) -> Tab {
        Tab {
            device_id: self.device_id,
            tab_id: self.tab_id,
            page_instance_id: self.page_instance_id.clone(),
        }
    }
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
    /// The lease epoch the writing node claimed: the step is written only while it is current.
    pub epoch: i64,
}

/// A node's hold on a session: written with the session, renewed while the node runs.
#[derive(Debug, Clone, Copy)]
pub struct Lease<'a> {
    pub node: &'a str,
    pub until: DateTime<Utc>,
}

/// The first epoch of a session started on a node.
pub const FIRST_EPOCH: i64 = 1;

/// What a step written under an epoch that is no longer current answers: another node has
/// claimed the session since, and this node must let it go.
pub fn moved() -> AppError {
    AppError::Refused {
        code: "SESSION_MOVED",
        status: axum::http::StatusCode::CONFLICT,
        message: "this voice session now runs on another server; resume it again".into(),
    }
}

pub async fn insert(
    db: &DatabaseConnection,
    id: Uuid,
    owner: &SessionOwner,
    step: StepRecord<'_>,
    lease: Lease<'_>,
) -> AppResult<voice_sessions::Model> {
    let txn = crate::db::begin_write(db).await?;
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
        node: Set(Some(lease.node.to_owned())),
        epoch: Set(step.epoch),
        lease_until: Set(Some(lease.until)),
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

/// Writes the steps of several sessions in one transaction (see `writer`): every session's
/// row in one `UPDATE`, then all their transitions in one insert. A step for a session that
/// has no row, or whose epoch is no longer current, fails the whole batch, which the writer
/// then retries step by step; alone, the moved session's step answers [`moved`].
pub async fn save_steps(
    db: &DatabaseConnection,
    steps: &[(Uuid, StepRecord<'_>)],
) -> AppResult<()> {
    let Some(update) = update_rows(db.get_database_backend(), steps)? else {
        return Ok(());
    };
    let txn = crate::db::begin_write(db).await?;
    let updated = txn.execute_raw(update).await?.rows_affected();
    if updated != steps.len() as u64 {
        if let [(id, _)] = steps
            && find(&txn, *id).await?.is_some()
        {
            metrics::counter!("lossy_voice_fenced_steps_total").increment(1);
            return Err(moved());
        }
        return Err(AppError::Internal(anyhow::anyhow!(
            "{} of {} voice sessions to save have no row, or moved",
            steps.len() as u64 - updated,
            steps.len()
        )));
    }
    let transitions: Vec<_> = steps
        .iter()
        .flat_map(|(id, step)| transition_rows(*id, step))
        .collect();
    if !transitions.is_empty() {
        voice_session_transitions::Entity::insert_many(transitions)
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// One `UPDATE` for the rows of all `steps`, each session at most once. One statement instead
/// of one per session matters on SQLite, where each is a round trip to the connection's thread
/// (docs/benchmarks.md). Written by hand because the query builder has no `UPDATE ... FROM`;
/// the CTE form is the one both SQLite (3.33+) and PostgreSQL accept.
fn update_rows(
    backend: DatabaseBackend,
    steps: &[(Uuid, StepRecord<'_>)],
) -> AppResult<Option<Statement>> {
    const COLUMNS: usize = 10;
    if steps.is_empty() {
        return Ok(None);
    }
    let mut values = Vec::with_capacity(steps.len() * COLUMNS);
    let mut rows = Vec::with_capacity(steps.len());
    for (id, step) in steps {
        let machine = step.machine;
        let ended = machine.end_reason();
        values.extend([
            Value::from(*id),
            Value::from(machine.state().as_str()),
            Value::from(machine.last_applied_seq()),
            Value::from(counters(machine)?),
            Value::from(snapshot(machine)?),
            Value::from(step.at),
            Value::from(step.seq.is_some()),
            Value::from(ended.map(|_| step.at)),
            Value::from(ended.map(|reason| reason.as_str())),
            Value::from(step.epoch),
        ]);
        let first = values.len() - COLUMNS + 1;
        let placeholders: Vec<String> = (first..first + COLUMNS)
            .map(|n| match backend {
                DatabaseBackend::Postgres => format!("${n}"),
                _ => "?".to_owned(),
            })
            .collect();
        rows.push(format!("({})", placeholders.join(", ")));
    }
    let sql = format!(
        "WITH step (id, state, last_applied_seq, counters, machine, at, event, ended_at, end_reason, epoch) \
         AS (VALUES {}) \
         UPDATE voice_sessions SET \
         state = step.state, \
         last_applied_seq = step.last_applied_seq, \
         counters = step.counters, \
         machine = step.machine, \
         updated_at = step.at, \
         last_event_at = CASE WHEN step.event THEN step.at ELSE voice_sessions.last_event_at END, \
         ended_at = COALESCE(step.ended_at, voice_sessions.ended_at), \
         end_reason = COALESCE(step.end_reason, voice_sessions.end_reason) \
         FROM step WHERE voice_sessions.id = step.id AND voice_sessions.epoch = step.epoch",
        rows.join(", ")
    );
    Ok(Some(Statement::from_sql_and_values(backend, sql, values)))
}

async fn insert_transitions(
    db: &impl ConnectionTrait,
    session_id: Uuid,
    step: &StepRecord<'_>,
) -> AppResult<()> {
    let rows = transition_rows(session_id, step);
    if !rows.is_empty() {
        voice_session_transitions::Entity::insert_many(rows)
            .exec_without_returning(db)
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

/// Sessions that have not ended and that `node` may claim: its own, those no node holds,
/// and those whose node has not renewed its lease by `now` (it stopped or died); all of them
/// for a node that is `alone` on its database.
pub async fn claimable(
    db: &impl ConnectionTrait,
    node: &str,
    now: DateTime<Utc>,
    alone: bool,
) -> AppResult<Vec<voice_sessions::Model>> {
    let mut query =
        voice_sessions::Entity::find().filter(voice_sessions::Column::EndedAt.is_null());
    if !alone {
        query = query.filter(free_for(node, now));
    }
    Ok(query.all(db).await?)
}

/// Rows `node` may claim without force at `now`.
fn free_for(node: &str, now: DateTime<Utc>) -> sea_orm::Condition {
    sea_orm::Condition::any()
        .add(voice_sessions::Column::Node.is_null())
        .add(voice_sessions::Column::Node.eq(node))
        .add(voice_sessions::Column::LeaseUntil.is_null())
        .add(voice_sessions::Column::LeaseUntil.lt(now))
}

/// Claims the session for `lease.node` if its epoch is still `epoch` (nobody claimed it since
/// it was read) and, unless `force`, nobody else holds it at `now`. Answers the new epoch.
/// `force` is for a session whose device has come to this node: the device decides.
pub async fn claim(
    db: &impl ConnectionTrait,
    id: Uuid,
    epoch: i64,
    lease: Lease<'_>,
    now: DateTime<Utc>,
    force: bool,
) -> AppResult<Option<i64>> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    let mut update = voice_sessions::Entity::update_many()
        .col_expr(voice_sessions::Column::Node, Expr::value(lease.node))
        .col_expr(voice_sessions::Column::LeaseUntil, Expr::value(lease.until))
        .col_expr(
            voice_sessions::Column::Epoch,
            Expr::col(voice_sessions::Column::Epoch).add(1),
        )
        .filter(voice_sessions::Column::Id.eq(id))
        .filter(voice_sessions::Column::Epoch.eq(epoch))
        .filter(voice_sessions::Column::EndedAt.is_null());
    if !force {
        update = update.filter(free_for(lease.node, now));
    }
    let claimed = update.exec(db).await?.rows_affected == 1;
    Ok(claimed.then_some(epoch + 1))
}

/// Extends `lease.node`'s hold on all of its live sessions to `lease.until`.
pub async fn renew(db: &impl ConnectionTrait, lease: Lease<'_>) -> AppResult<u64> {
    use sea_orm::sea_query::Expr;
    Ok(voice_sessions::Entity::update_many()
        .col_expr(voice_sessions::Column::LeaseUntil, Expr::value(lease.until))
        .filter(voice_sessions::Column::Node.eq(lease.node))
        .filter(voice_sessions::Column::EndedAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}

/// Lets go of `node`'s live sessions (the node is stopping): any node may claim them at once.
pub async fn release(db: &impl ConnectionTrait, node: &str) -> AppResult<u64> {
    use sea_orm::sea_query::Expr;
    Ok(voice_sessions::Entity::update_many()
        .col_expr(
            voice_sessions::Column::Node,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            voice_sessions::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(voice_sessions::Column::Node.eq(node))
        .filter(voice_sessions::Column::EndedAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}

/// The user's sessions, newest first, keyset-paged on (started_at, id).
pub async fn page_for_user(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    active: Option<bool>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u64,
) -> AppResult<Vec<voice_sessions::Model>> {
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
        query = query.filter(older_than(
            voice_sessions::Column::StartedAt,
            voice_sessions::Column::Id,
            (at, id),
        ));
    }
    Ok(query.all(db).await?)
}
