//! Client telemetry: a batch is checked as a whole without touching the database
//! ([`validate_batch`]), and only a batch that passes is stored ([`store`]), in one transaction
//! that is idempotent on (client key, `eventId`).
//!
//! A resent event is counted once: an id already stored for the caller's client key, or
//! repeated within the batch, is answered as a duplicate and not written again. Two identical
//! batches racing each other may both hear "accepted" for the same id; the unique key still
//! stores it once, and either answer lets the client drop it from its buffer.

use std::collections::HashSet;

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use lossy_entities::telemetry_events;
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use serde_json::Value;
use uuid::Uuid;

use super::{TelemetryLevel, TelemetrySource};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};

/// Most events in one `ingestTelemetry` call.
pub const MAX_BATCH: usize = 500;
/// Longest `eventId` and `name`, in characters.
pub const MAX_ID_CHARS: usize = 128;
pub const MAX_NAME_CHARS: usize = 128;
/// Largest `properties`, serialized, in bytes.
pub const MAX_PROPERTIES_BYTES: usize = 16 * 1024;
/// Longest `clientVersion`, in characters.
pub const MAX_CLIENT_VERSION_CHARS: usize = 64;
/// How far ahead of the server's clock `occurredAt` may be.
pub const MAX_CLOCK_AHEAD: TimeDelta = TimeDelta::hours(24);

/// The id space of a caller's event ids, and who the caller is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientKey {
    key: String,
    pub user_id: Uuid,
    pub device_id: Option<Uuid>,
}

impl ClientKey {
    /// A device's events are keyed by its id; a dashboard's by `web:<user id>`.
    pub fn of(viewer: &Viewer) -> ClientKey {
        let device_id = viewer.device_id();
        let key = match device_id {
            Some(device) => device.to_string(),
            None => format!("web:{}", viewer.user_id),
        };
        ClientKey {
            key,
            user_id: viewer.user_id,
            device_id,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.key
    }
}

/// One event as a client sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientEvent {
    pub event_id: String,
    pub name: String,
    pub occurred_at: DateTime<Utc>,
    pub level: TelemetryLevel,
    pub session_id: Option<String>,
    /// A JSON object; absent means `{}`.
    pub properties: Option<Value>,
    pub client_version: Option<String>,
}

/// An event that passed every check; only [`validate_batch`] makes one.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidEvent {
    event_id: String,
    name: String,
    occurred_at: DateTime<Utc>,
    level: TelemetryLevel,
    session_id: Option<Uuid>,
    properties: Value,
    client_version: Option<String>,
}

impl ValidEvent {
    pub fn event_id(&self) -> &str {
        &self.event_id
    }
}

/// What `ingestTelemetry` answers: ids written now, and ids already known (each once).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestAck {
    pub accepted: Vec<String>,
    pub duplicates: Vec<String>,
}

/// Checks a whole batch against `now`. The first problem is `BAD_USER_INPUT` naming its field
/// (`events` for the batch size, `events[i].name` and so on for an event).
pub fn validate_batch(events: Vec<ClientEvent>, now: DateTime<Utc>) -> AppResult<Vec<ValidEvent>> {
    if events.len() > MAX_BATCH {
        return Err(AppError::bad_input(
            "events",
            format!(
                "at most {MAX_BATCH} events per batch (got {}); send the rest in another",
                events.len()
            ),
        ));
    }
    events
        .into_iter()
        .enumerate()
        .map(|(i, event)| validate_event(i, event, now))
        .collect()
}

fn validate_event(i: usize, event: ClientEvent, now: DateTime<Utc>) -> AppResult<ValidEvent> {
    let bad = |field: &str, message: String| {
        AppError::bad_input(
            format!("events[{i}].{field}"),
            format!("events[{i}]: {message}"),
        )
    };
    let id_chars = event.event_id.chars().count();
    if !(1..=MAX_ID_CHARS).contains(&id_chars) {
        return Err(bad(
            "eventId",
            format!("eventId must be 1 to {MAX_ID_CHARS} characters (got {id_chars})"),
        ));
    }
    if event.event_id.chars().any(char::is_control) {
        return Err(bad(
            "eventId",
            "eventId must not contain control characters".into(),
        ));
    }
    if !is_event_name(&event.name) {
        return Err(bad(
            "name",
            format!(
                "name must be 1 to {MAX_NAME_CHARS} of a-z, 0-9, `_`, `.`, `:` and `-` (got {:?})",
                truncated(&event.name)
            ),
        ));
    }
    if event.occurred_at > now + MAX_CLOCK_AHEAD {
        return Err(bad(
            "occurredAt",
            "occurredAt is more than 24 hours in the future; check the client's clock".into(),
        ));
    }
    let session_id = event
        .session_id
        .as_deref()
        .map(|raw| {
            Uuid::parse_str(raw.trim()).map_err(|_| {
                bad(
                    "sessionId",
                    format!("sessionId is not a voice session id: {raw:?}"),
                )
            })
        })
        .transpose()?;
    let properties = match event.properties {
        None | Some(Value::Null) => Value::Object(serde_json::Map::new()),
        Some(object @ Value::Object(_)) => {
            let size = serde_json::to_string(&object).map_or(usize::MAX, |s| s.len());
            if has_nul(&object) {
                // PostgreSQL cannot store U+0000 in text or jsonb.
                return Err(bad(
                    "properties",
                    "properties must not contain the character U+0000".into(),
                ));
            }
            if size > MAX_PROPERTIES_BYTES {
                return Err(bad(
                    "properties",
                    format!(
                        "properties must be at most {MAX_PROPERTIES_BYTES} bytes of JSON (got {size})"
                    ),
                ));
            }
            object
        }
        Some(_) => return Err(bad("properties", "properties must be a JSON object".into())),
    };
    let client_version = match event.client_version {
        Some(version)
            if version.chars().count() > MAX_CLIENT_VERSION_CHARS
                || version.chars().any(char::is_control) =>
        {
            return Err(bad(
                "clientVersion",
                format!(
                    "clientVersion must be at most {MAX_CLIENT_VERSION_CHARS} characters, none of them control characters"
                ),
            ));
        }
        Some(version) if version.trim().is_empty() => None,
        other => other,
    };
    Ok(ValidEvent {
        event_id: event.event_id,
        name: event.name,
        // Both databases keep microseconds; store what reads back.
        occurred_at: event.occurred_at.trunc_subsecs(6),
        level: event.level,
        session_id,
        properties,
        client_version,
    })
}

/// 1 to [`MAX_NAME_CHARS`] of `[a-z0-9_.:-]`, e.g. `vad.model_loaded`.
pub fn is_event_name(name: &str) -> bool {
    (1..=MAX_NAME_CHARS).contains(&name.len())
        && name
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b':' | b'-'))
}

/// Whether any string or key inside `value` holds U+0000.
fn has_nul(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains('\0'),
        Value::Array(items) => items.iter().any(has_nul),
        Value::Object(map) => map
            .iter()
            .any(|(key, item)| key.contains('\0') || has_nul(item)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// At most 40 characters of `text`, for error messages.
fn truncated(text: &str) -> String {
    text.chars().take(40).collect()
}

/// Decides, in batch order, which events to write: the first copy of each id not in `stored`.
/// Ids in `stored`, and later copies of an id, are duplicates, each listed once.
pub fn sort_out(events: Vec<ValidEvent>, stored: &HashSet<String>) -> (Vec<ValidEvent>, IngestAck) {
    let mut seen: HashSet<String> = HashSet::with_capacity(events.len());
    let mut reported: HashSet<String> = HashSet::new();
    let mut ack = IngestAck::default();
    let mut to_write = Vec::with_capacity(events.len());
    for event in events {
        let repeated = !seen.insert(event.event_id.clone());
        if repeated || stored.contains(&event.event_id) {
            if reported.insert(event.event_id.clone()) {
                ack.duplicates.push(event.event_id);
            }
        } else {
            ack.accepted.push(event.event_id.clone());
            to_write.push(event);
        }
    }
    (to_write, ack)
}

/// Stores a validated batch for `client`, received at `received_at`, in one transaction, and
/// counts what it accepted and what it found duplicated in the analytics `rollups`.
pub async fn store(
    db: &DatabaseConnection,
    rollups: &crate::analytics::Rollups,
    client: &ClientKey,
    events: Vec<ValidEvent>,
    received_at: DateTime<Utc>,
) -> AppResult<IngestAck> {
    if events.is_empty() {
        return Ok(IngestAck::default());
    }
    let txn = crate::db::begin_write(db).await?;
    let ids: Vec<&str> = events.iter().map(ValidEvent::event_id).collect();
    let stored: HashSet<String> = telemetry_events::Entity::find()
        .select_only()
        .column(telemetry_events::Column::EventId)
        .filter(telemetry_events::Column::ClientKey.eq(client.as_str()))
        .filter(telemetry_events::Column::EventId.is_in(ids))
        .into_tuple::<String>()
        .all(&txn)
        .await?
        .into_iter()
        .collect();
    let (to_write, ack) = sort_out(events, &stored);
    let received_at = received_at.trunc_subsecs(6);
    let rows: Vec<_> = to_write
        .into_iter()
        .map(|event| row(client, event, received_at))
        .collect();
    telemetry_events::Entity::insert_many(rows)
        // Another request of the same client may have written an id since we looked.
        .on_conflict_do_nothing_on([
            telemetry_events::Column::ClientKey,
            telemetry_events::Column::EventId,
        ])
        .exec_without_returning(&txn)
        .await?;
    txn.commit().await?;
    metrics::counter!("lossy_telemetry_ingested_total").increment(ack.accepted.len() as u64);
    metrics::counter!("lossy_telemetry_duplicates_total").increment(ack.duplicates.len() as u64);
    use crate::analytics::Series;
    rollups.count(Series::TelemetryAccepted, ack.accepted.len() as u64);
    rollups.count(Series::TelemetryDuplicates, ack.duplicates.len() as u64);
    Ok(ack)
}

fn row(
    client: &ClientKey,
    event: ValidEvent,
    received_at: DateTime<Utc>,
) -> telemetry_events::ActiveModel {
    telemetry_events::ActiveModel {
        id: Set(Uuid::new_v4()),
        client_key: Set(client.as_str().to_owned()),
        event_id: Set(event.event_id),
        user_id: Set(Some(client.user_id)),
        device_id: Set(client.device_id),
        session_id: Set(event.session_id),
        name: Set(event.name),
        level: Set(event.level.as_str().to_owned()),
        occurred_at: Set(event.occurred_at),
        received_at: Set(received_at),
        properties: Set(event.properties),
        client_version: Set(event.client_version),
        source: Set(TelemetrySource::Client.as_str().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::auth::Role;
    use crate::auth::viewer::Credential;
    use crate::settings::store::testing::database_with_user;

    fn event(id: &str) -> ClientEvent {
        ClientEvent {
            event_id: id.to_owned(),
            name: "vad.model_loaded".to_owned(),
            occurred_at: Utc::now(),
            level: TelemetryLevel::Info,
            session_id: None,
            properties: Some(json!({ "ms": 120 })),
            client_version: Some("1.2.3".to_owned()),
        }
    }

    fn field_of(result: AppResult<Vec<ValidEvent>>) -> String {
        match result {
            Err(AppError::BadUserInput { field, .. }) => field.unwrap_or_default(),
            other => panic!("expected BAD_USER_INPUT, got {other:?}"),
        }
    }

    fn ids(events: &[ValidEvent]) -> Vec<&str> {
        events.iter().map(ValidEvent::event_id).collect()
    }

    #[test]
    fn a_batch_of_500_passes_and_501_is_refused_as_a_whole() {
        let now = Utc::now();
        let batch = |n: usize| (0..n).map(|i| event(&format!("e{i}"))).collect::<Vec<_>>();
        assert_eq!(
            validate_batch(batch(500), now).map(|v| v.len()).ok(),
            Some(500)
        );
        assert_eq!(field_of(validate_batch(batch(501), now)), "events");
        assert_eq!(
            validate_batch(Vec::new(), now).map(|v| v.len()).ok(),
            Some(0)
        );
    }

    #[test]
    fn each_rule_names_the_event_and_field() {
        let now = Utc::now();
        let cases: Vec<(ClientEvent, &str)> = vec![
            (event(""), "eventId"),
            (event(&"x".repeat(129)), "eventId"),
            (event("tab\tid"), "eventId"),
            (
                ClientEvent {
                    name: String::new(),
                    ..event("a")
                },
                "name",
            ),
            (
                ClientEvent {
                    name: "Vad.Loaded".into(),
                    ..event("a")
                },
                "name",
            ),
            (
                ClientEvent {
                    name: "vad loaded".into(),
                    ..event("a")
                },
                "name",
            ),
            (
                ClientEvent {
                    name: "n".repeat(129),
                    ..event("a")
                },
                "name",
            ),
            (
                ClientEvent {
                    properties: Some(json!([1, 2])),
                    ..event("a")
                },
                "properties",
            ),
            (
                ClientEvent {
                    properties: Some(json!("text")),
                    ..event("a")
                },
                "properties",
            ),
            (
                ClientEvent {
                    properties: Some(json!({ "blob": "b".repeat(MAX_PROPERTIES_BYTES) })),
                    ..event("a")
                },
                "properties",
            ),
            (
                ClientEvent {
                    occurred_at: now + TimeDelta::hours(24) + TimeDelta::seconds(1),
                    ..event("a")
                },
                "occurredAt",
            ),
            (
                ClientEvent {
                    session_id: Some("nope".into()),
                    ..event("a")
                },
                "sessionId",
            ),
            (
                ClientEvent {
                    client_version: Some("v".repeat(65)),
                    ..event("a")
                },
                "clientVersion",
            ),
            (
                ClientEvent {
                    client_version: Some("1.0\n".into()),
                    ..event("a")
                },
                "clientVersion",
            ),
            (
                ClientEvent {
                    properties: Some(json!({ "nested": [{ "text": "a\u{0}b" }] })),
                    ..event("a")
                },
                "properties",
            ),
            (
                ClientEvent {
                    properties: Some(json!({ "key\u{0}": 1 })),
                    ..event("a")
                },
                "properties",
            ),
        ];
        for (bad, field) in cases {
            let batch = vec![event("ok-0"), event("ok-1"), bad.clone()];
            assert_eq!(
                field_of(validate_batch(batch, now)),
                format!("events[2].{field}"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn limits_are_inclusive_and_defaults_fill_in() {
        let now = Utc::now();
        let at_limits = ClientEvent {
            event_id: "é".repeat(MAX_ID_CHARS),
            name: format!("a.b:c-d_{}", "9".repeat(MAX_NAME_CHARS - 8)),
            occurred_at: now + MAX_CLOCK_AHEAD,
            session_id: Some(Uuid::nil().to_string()),
            properties: None,
            client_version: Some(" ".into()),
            ..event("a")
        };
        let valid = validate_batch(vec![at_limits], now).expect("valid at the limits");
        assert_eq!(valid[0].properties, json!({}));
        assert_eq!(valid[0].client_version, None);
        assert_eq!(valid[0].session_id, Some(Uuid::nil()));
        let old = ClientEvent {
            occurred_at: now - TimeDelta::days(30),
            ..event("old")
        };
        assert!(
            validate_batch(vec![old], now).is_ok(),
            "offline buffers send old events"
        );
    }

    #[test]
    fn repeats_and_stored_ids_are_duplicates_listed_once() {
        let now = Utc::now();
        let batch = ["a", "b", "a", "old", "c", "old", "a"].map(event).to_vec();
        let valid = validate_batch(batch, now).expect("valid");
        let stored = HashSet::from(["old".to_owned()]);
        let (to_write, ack) = sort_out(valid, &stored);
        assert_eq!(ids(&to_write), ["a", "b", "c"]);
        assert_eq!(ack.accepted, ["a", "b", "c"]);
        assert_eq!(ack.duplicates, ["a", "old"]);
    }

    fn device_viewer(user_id: Uuid, device_id: Uuid) -> Viewer {
        Viewer {
            user_id,
            email: "user@example.com".into(),
            role: Role::User,
            credential: Credential::DeviceToken {
                device_id,
                expires_at: Utc::now(),
            },
        }
    }

    #[test]
    fn devices_and_dashboards_have_their_own_keys() {
        let user = Uuid::new_v4();
        let device = Uuid::new_v4();
        let by_device = ClientKey::of(&device_viewer(user, device));
        assert_eq!(by_device.as_str(), device.to_string());
        assert_eq!(by_device.device_id, Some(device));
        let web = Viewer {
            credential: Credential::WebSession {
                session_id: Uuid::new_v4(),
            },
            ..device_viewer(user, device)
        };
        let by_web = ClientKey::of(&web);
        assert_eq!(by_web.as_str(), format!("web:{user}"));
        assert_eq!(by_web.device_id, None);
    }

    #[tokio::test]
    async fn storing_twice_writes_once() {
        let (db, user) = database_with_user().await;
        let client = ClientKey::of(&device_viewer(user, Uuid::new_v4()));
        let now = Utc::now();
        let at_now = |id| ClientEvent {
            occurred_at: now,
            ..event(id)
        };
        let batch = || validate_batch(vec![at_now("a"), at_now("b")], now).expect("valid");

        let rollups = crate::analytics::Rollups::new();
        let first = store(&db, &rollups, &client, batch(), now)
            .await
            .expect("first");
        assert_eq!(first.accepted, ["a", "b"]);
        assert!(first.duplicates.is_empty());
        let second = store(&db, &rollups, &client, batch(), now)
            .await
            .expect("second");
        assert!(second.accepted.is_empty());
        assert_eq!(second.duplicates, ["a", "b"]);
        // Both counted for the analytics.
        let taken = rollups.take();
        let total = |series| {
            taken
                .iter()
                .filter(|((_, s), _)| *s == series)
                .map(|(_, cell)| cell.count)
                .sum::<u64>()
        };
        assert_eq!(total(crate::analytics::Series::TelemetryAccepted), 2);
        assert_eq!(total(crate::analytics::Series::TelemetryDuplicates), 2);

        let rows = telemetry_events::Entity::find()
            .all(&db)
            .await
            .expect("rows");
        assert_eq!(rows.len(), 2);
        let a = rows.iter().find(|r| r.event_id == "a").expect("a");
        assert_eq!(a.client_key, client.as_str());
        assert_eq!(a.user_id, Some(user));
        assert_eq!(a.device_id, client.device_id);
        assert_eq!(a.source, "client");
        assert_eq!(a.level, "info");
        assert_eq!(a.properties, json!({ "ms": 120 }));
        assert_eq!(a.client_version.as_deref(), Some("1.2.3"));
        assert_eq!(a.occurred_at, now.trunc_subsecs(6));
    }
}
