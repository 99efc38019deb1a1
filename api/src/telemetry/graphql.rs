//! `ingestTelemetry` for clients (behind the `server_telemetry` flag), and `telemetryEvents`
//! (filtered, keyset-paged) and `telemetryNames` for admins.

use async_graphql::connection::Connection;
use async_graphql::{Context, ID, InputObject, Json, Object, SimpleObject};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use lossy_entities::telemetry_events;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Statement,
};
use serde_json::Value;
use uuid::Uuid;

use super::ingest::{self, ClientEvent, ClientKey};
use super::{TelemetryLevel, TelemetrySource};
use crate::error::{AppError, AppResult};
use crate::graphql_kit::ContextExt;
use crate::graphql_kit::pagination::Page;
use crate::graphql_kit::parse_id;

/// The flag that lets a user's clients send telemetry.
pub const SERVER_TELEMETRY: &str = "server_telemetry";

/// One event a client reports.
#[derive(Debug, InputObject)]
pub struct TelemetryEventInput {
    /// Made by the client, unique among its events (1 to 128 characters); a resent event
    /// with the same id is counted once.
    pub event_id: String,
    /// 1 to 128 of `a-z 0-9 _ . : -`, e.g. `vad.model_loaded`.
    pub name: String,
    /// At most 24 hours ahead of the server's clock.
    pub occurred_at: DateTime<Utc>,
    pub level: TelemetryLevel,
    /// The voice session the event belongs to, if any.
    pub session_id: Option<ID>,
    /// A JSON object of at most 16 KiB; absent means `{}`.
    pub properties: Option<Json<Value>>,
    /// The client's version, e.g. `1.4.0`.
    pub client_version: Option<String>,
}

impl From<TelemetryEventInput> for ClientEvent {
    fn from(input: TelemetryEventInput) -> Self {
        ClientEvent {
            event_id: input.event_id,
            name: input.name,
            occurred_at: input.occurred_at,
            level: input.level,
            session_id: input.session_id.map(|id| id.0),
            properties: input.properties.map(|json| json.0),
            client_version: input.client_version,
        }
    }
}

/// Which event ids were stored now and which were already known. The client may drop both
/// from its offline buffer.
#[derive(Debug, Clone, SimpleObject)]
pub struct TelemetryAck {
    pub accepted: Vec<String>,
    pub duplicates: Vec<String>,
}

/// One stored event, from a client or from the server.
#[derive(Debug, Clone, SimpleObject)]
pub struct TelemetryEvent {
    pub id: ID,
    /// The id space of `eventId`: a device id, `web:<user id>`, or `server`.
    pub client_key: String,
    pub event_id: String,
    pub source: TelemetrySource,
    pub name: String,
    pub level: TelemetryLevel,
    pub user_id: Option<ID>,
    pub device_id: Option<ID>,
    pub session_id: Option<ID>,
    pub occurred_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub properties: Json<Value>,
    pub client_version: Option<String>,
}

impl From<telemetry_events::Model> for TelemetryEvent {
    fn from(row: telemetry_events::Model) -> Self {
        TelemetryEvent {
            id: row.id.into(),
            client_key: row.client_key,
            event_id: row.event_id,
            source: TelemetrySource::from_db(&row.source),
            name: row.name,
            level: TelemetryLevel::from_db(&row.level),
            user_id: row.user_id.map(ID::from),
            device_id: row.device_id.map(ID::from),
            session_id: row.session_id.map(ID::from),
            occurred_at: row.occurred_at,
            received_at: row.received_at,
            properties: Json(row.properties),
            client_version: row.client_version,
        }
    }
}

/// Telemetry mutations.
#[derive(Default)]
pub struct TelemetryMutation;

#[Object]
impl TelemetryMutation {
    /// Stores a batch of at most 500 events. An invalid event refuses the whole batch
    /// (`BAD_USER_INPUT` naming `events[i].field`); ids already stored for this device (or
    /// repeated in the batch) come back as `duplicates` and are not stored again.
    async fn ingest_telemetry(
        &self,
        ctx: &Context<'_>,
        events: Vec<TelemetryEventInput>,
    ) -> async_graphql::Result<TelemetryAck> {
        let viewer = ctx.viewer()?;
        let state = ctx.state();
        ensure_enabled(state, viewer.user_id).await?;
        let now = Utc::now();
        let events =
            ingest::validate_batch(events.into_iter().map(ClientEvent::from).collect(), now)?;
        let ack = ingest::store(
            &state.db,
            &state.analytics,
            &ClientKey::of(viewer),
            events,
            now,
        )
        .await?;
        Ok(TelemetryAck {
            accepted: ack.accepted,
            duplicates: ack.duplicates,
        })
    }
}

/// `FEATURE_DISABLED` unless the user's `server_telemetry` flag is on.
async fn ensure_enabled(state: &crate::state::AppState, user_id: Uuid) -> AppResult<()> {
    let features = crate::flags::store::features_for(&state.db, user_id).await?;
    if features.get(SERVER_TELEMETRY).copied().unwrap_or(false) {
        Ok(())
    } else {
        Err(AppError::Refused {
            code: "FEATURE_DISABLED",
            status: StatusCode::FORBIDDEN,
            message: "telemetry ingestion is off for this account (flag server_telemetry)".into(),
        })
    }
}

/// Sort key of the event list: newest first, ties broken by id.
type Key = (DateTime<Utc>, Uuid);

/// At most this many names answer `telemetryNames`.
pub const MAX_NAMES: u64 = 1000;

/// The filters of `telemetryEvents`, all optional and AND-ed.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub name: Option<String>,
    pub session_id: Option<Uuid>,
    pub level: Option<TelemetryLevel>,
    pub user_id: Option<Uuid>,
    pub device_id: Option<Uuid>,
    pub source: Option<TelemetrySource>,
    /// Events that occurred at or after this time...
    pub from: Option<DateTime<Utc>>,
    /// ...and before this one.
    pub to: Option<DateTime<Utc>>,
}

/// One page of events matching `filter`, newest first, after the cursor `after`.
///
/// Every filter has an index whose leading column it fixes and whose next one is
/// `occurred_at`, so a page reads about `limit` index entries even among millions of rows:
/// `name` uses `idx_telemetry_events_name_occurred_at`, `userId`
/// `idx_telemetry_events_user_id_occurred_at`, `sessionId` `idx_telemetry_events_session_id`
/// (a session's events are few), and `deviceId`, `level` and `source` the
/// `..._occurred_at_id` indexes of migration `m20261205_000003_telemetry_filters`; with none
/// of those (only a time range, or nothing) `idx_telemetry_events_occurred_at_id` serves the
/// order and the range. The planner picks one index; the other filters are checked on the
/// rows it reads. The cursor is written as `occurred_at <= t AND (occurred_at < t OR id < i)`
/// rather than one `OR`, so that it bounds the index range instead of filtering from the top.
pub fn events_query(
    filter: &EventFilter,
    after: Option<Key>,
    limit: u64,
) -> sea_orm::Select<telemetry_events::Entity> {
    use telemetry_events::Column;
    let mut query = telemetry_events::Entity::find()
        .order_by_desc(Column::OccurredAt)
        .order_by_desc(Column::Id)
        .limit(limit);
    if let Some(name) = &filter.name {
        query = query.filter(Column::Name.eq(name.as_str()));
    }
    if let Some(session_id) = filter.session_id {
        query = query.filter(Column::SessionId.eq(session_id));
    }
    if let Some(level) = filter.level {
        query = query.filter(Column::Level.eq(level.as_str()));
    }
    if let Some(user_id) = filter.user_id {
        query = query.filter(Column::UserId.eq(user_id));
    }
    if let Some(device_id) = filter.device_id {
        query = query.filter(Column::DeviceId.eq(device_id));
    }
    if let Some(source) = filter.source {
        query = query.filter(Column::Source.eq(source.as_str()));
    }
    if let Some(from) = filter.from {
        query = query.filter(Column::OccurredAt.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(Column::OccurredAt.lt(to));
    }
    if let Some((at, id)) = after {
        query = query.filter(
            Condition::all().add(Column::OccurredAt.lte(at)).add(
                Condition::any()
                    .add(Column::OccurredAt.lt(at))
                    .add(Column::Id.lt(id)),
            ),
        );
    }
    query
}

/// The distinct event names, sorted, at most [`MAX_NAMES`]. Each name is one step down
/// `idx_telemetry_events_name_occurred_at` (the next name above the last one), so the cost
/// follows the number of names, not of events; a plain `DISTINCT` would read the whole index.
pub async fn distinct_names(db: &impl ConnectionTrait) -> AppResult<Vec<String>> {
    let sql = format!(
        "WITH RECURSIVE names(name) AS ( \
           SELECT MIN(name) FROM telemetry_events \
           UNION ALL \
           SELECT (SELECT MIN(t.name) FROM telemetry_events t WHERE t.name > names.name) \
           FROM names WHERE names.name IS NOT NULL \
         ) \
         SELECT name FROM names WHERE name IS NOT NULL LIMIT {MAX_NAMES}"
    );
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    let mut names = rows
        .iter()
        .map(|row| row.try_get::<String>("", "name"))
        .collect::<Result<Vec<_>, _>>()?;
    // Each backend compares text its own way (PostgreSQL by collation); answer one order.
    names.sort();
    Ok(names)
}

/// Telemetry queries.
#[derive(Default)]
pub struct TelemetryQuery;

#[Object]
impl TelemetryQuery {
    /// Stored telemetry, newest first by `occurredAt` (admins only). Filters are optional and
    /// AND-ed: `name`, `sessionId`, `level`, `userId`, `deviceId`, `source`, and the time
    /// range `from` (inclusive) to `to` (exclusive), which must be in that order.
    #[allow(clippy::too_many_arguments)]
    async fn telemetry_events(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        name: Option<String>,
        session_id: Option<ID>,
        level: Option<TelemetryLevel>,
        user_id: Option<ID>,
        device_id: Option<ID>,
        source: Option<TelemetrySource>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Connection<String, TelemetryEvent>> {
        ctx.admin()?;
        let state = ctx.state();
        let page = Page::<Key>::parse(first, after.as_deref(), state.config.max_page_size)?;
        let id = |id: Option<ID>, field: &str| id.map(|id| parse_id(&id, field)).transpose();
        let filter = EventFilter {
            name,
            session_id: id(session_id, "sessionId")?,
            level,
            user_id: id(user_id, "userId")?,
            device_id: id(device_id, "deviceId")?,
            source,
            from,
            to,
        };
        if let (Some(from), Some(to)) = (from, to)
            && to <= from
        {
            return Err(AppError::bad_input("to", "`to` must be after `from`").into());
        }
        let rows = events_query(&filter, page.after, page.fetch_limit())
            .all(&state.db)
            .await
            .map_err(AppError::from)?;
        Ok(page.connection(rows, |row| (row.occurred_at, row.id), TelemetryEvent::from))
    }

    /// Distinct telemetry event names, sorted, for the explorer's filter (at most 1,000).
    /// Admins only.
    async fn telemetry_names(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        ctx.admin()?;
        Ok(distinct_names(&ctx.state().db).await?)
    }
}
