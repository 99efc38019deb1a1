//! `ingestTelemetry` for clients (behind the `server_telemetry` flag) and `telemetryEvents`
//! for admins.

use async_graphql::connection::Connection;
use async_graphql::{Context, ID, InputObject, Json, Object, SimpleObject};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use lossy_entities::telemetry_events;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;
use uuid::Uuid;

use super::ingest::{self, ClientEvent, ClientKey};
use super::{TelemetryLevel, TelemetrySource};
use crate::db::keyset::older_than;
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
        let ack = ingest::store(&state.db, &ClientKey::of(viewer), events, now).await?;
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

/// Telemetry queries.
#[derive(Default)]
pub struct TelemetryQuery;

#[Object]
impl TelemetryQuery {
    /// Stored telemetry, newest first by `occurredAt` (admins only). Filter by `name` or
    /// `sessionId`.
    async fn telemetry_events(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        name: Option<String>,
        session_id: Option<ID>,
    ) -> async_graphql::Result<Connection<String, TelemetryEvent>> {
        ctx.admin()?;
        let state = ctx.state();
        let page = Page::<Key>::parse(first, after.as_deref(), state.config.max_page_size)?;
        let mut query = telemetry_events::Entity::find()
            .order_by_desc(telemetry_events::Column::OccurredAt)
            .order_by_desc(telemetry_events::Column::Id)
            .limit(page.fetch_limit());
        if let Some(name) = name {
            query = query.filter(telemetry_events::Column::Name.eq(name));
        }
        if let Some(session_id) = session_id {
            query = query.filter(
                telemetry_events::Column::SessionId.eq(parse_id(&session_id, "sessionId")?),
            );
        }
        if let Some((at, id)) = page.after {
            query = query.filter(older_than(
                telemetry_events::Column::OccurredAt,
                telemetry_events::Column::Id,
                (at, id),
            ));
        }
        let rows = query.all(&state.db).await.map_err(AppError::from)?;
        Ok(page.connection(rows, |row| (row.occurred_at, row.id), TelemetryEvent::from))
    }
}
