//! Telemetry: `ingestTelemetry` is idempotent per device, bounded at 500 events and refuses
//! invalid batches whole; the server's own recorder never makes its caller wait, and what it
//! records reaches the table and the admin query.

use std::time::Duration;

use lossy_api::telemetry::{ServerEvent, TelemetryLevel};
use lossy_entities::telemetry_events;
use lossy_tests::{Browser, TestApp, error_code, eventually, spawn_app, spawn_app_with};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

const INGEST: &str = "mutation($events: [TelemetryEventInput!]!) {
    ingestTelemetry(events: $events) { accepted duplicates }
}";

const EVENTS: &str = "query($first: Int, $after: String, $name: String, $sessionId: ID) {
    telemetryEvents(first: $first, after: $after, name: $name, sessionId: $sessionId) {
        edges { node { eventId name level source sessionId occurredAt properties } }
        pageInfo { hasNextPage endCursor }
    }
}";

fn event(id: &str) -> Value {
    json!({
        "eventId": id,
        "name": "vad.model_loaded",
        "occurredAt": chrono::Utc::now().to_rfc3339(),
        "level": "INFO",
        "properties": { "ms": 120 },
        "clientVersion": "1.4.0",
    })
}

fn events(ids: &[&str]) -> Value {
    Value::Array(ids.iter().map(|id| event(id)).collect())
}

/// The ack of a successful call, as (accepted, duplicates).
fn ack(body: &Value) -> (Vec<String>, Vec<String>) {
    let list = |key: &str| -> Vec<String> {
        body["data"]["ingestTelemetry"][key]
            .as_array()
            .unwrap_or_else(|| panic!("no ack in {body}"))
            .iter()
            .map(|id| id.as_str().expect("an id").to_owned())
            .collect()
    };
    (list("accepted"), list("duplicates"))
}

fn assert_bad_input(body: &Value, field: &str) {
    assert_eq!(error_code(body), Some("BAD_USER_INPUT"), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    assert!(body["data"].is_null(), "{body}");
}

async fn rows_of(app: &TestApp, client_key: &str) -> u64 {
    telemetry_events::Entity::find()
        .filter(telemetry_events::Column::ClientKey.eq(client_key))
        .count(&app.state.db)
        .await
        .expect("count telemetry")
}

async fn all_rows(app: &TestApp) -> u64 {
    telemetry_events::Entity::find()
        .count(&app.state.db)
        .await
        .expect("count telemetry")
}

#[tokio::test]
async fn a_resent_batch_is_answered_as_duplicates_and_stored_once() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    let key = tokens.device_id.to_string();

    let first = app
        .graphql(
            &tokens.token,
            INGEST,
            json!({ "events": events(&["a", "b", "c"]) }),
        )
        .await;
    assert_eq!(
        ack(&first),
        (vec!["a".into(), "b".into(), "c".into()], vec![])
    );

    let again = app
        .graphql(
            &tokens.token,
            INGEST,
            json!({ "events": events(&["a", "b", "c"]) }),
        )
        .await;
    assert_eq!(
        ack(&again),
        (vec![], vec!["a".into(), "b".into(), "c".into()])
    );

    let mixed = app
        .graphql(
            &tokens.token,
            INGEST,
            json!({ "events": events(&["c", "d", "a"]) }),
        )
        .await;
    assert_eq!(
        ack(&mixed),
        (vec!["d".into()], vec!["c".into(), "a".into()])
    );
    assert_eq!(rows_of(&app, &key).await, 4);

    let empty = app
        .graphql(&tokens.token, INGEST, json!({ "events": [] }))
        .await;
    assert_eq!(ack(&empty), (vec![], vec![]));

    let row = telemetry_events::Entity::find()
        .filter(telemetry_events::Column::EventId.eq("d"))
        .one(&app.state.db)
        .await
        .expect("query")
        .expect("event d stored");
    assert_eq!(row.client_key, key);
    assert_eq!(row.device_id, Some(tokens.device_id));
    assert_eq!(row.source, "client");
    assert_eq!(row.level, "info");
    assert_eq!(row.properties, json!({ "ms": 120 }));
    assert_eq!(row.client_version.as_deref(), Some("1.4.0"));
}

#[tokio::test]
async fn an_id_repeated_within_a_batch_is_stored_once() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    let body = app
        .graphql(
            &tokens.token,
            INGEST,
            json!({ "events": events(&["x", "x", "y", "x"]) }),
        )
        .await;
    assert_eq!(ack(&body), (vec!["x".into(), "y".into()], vec!["x".into()]));
    assert_eq!(rows_of(&app, &tokens.device_id.to_string()).await, 2);
}

#[tokio::test]
async fn batches_hold_at_most_500_events() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    let batch = |n: usize| Value::Array((0..n).map(|i| event(&format!("evt-{i}"))).collect());

    let too_many = app
        .graphql(&tokens.token, INGEST, json!({ "events": batch(501) }))
        .await;
    assert_bad_input(&too_many, "events");
    assert_eq!(all_rows(&app).await, 0, "a refused batch writes nothing");

    let full = app
        .graphql(&tokens.token, INGEST, json!({ "events": batch(500) }))
        .await;
    let (accepted, duplicates) = ack(&full);
    assert_eq!(accepted.len(), 500);
    assert!(duplicates.is_empty());
    assert_eq!(rows_of(&app, &tokens.device_id.to_string()).await, 500);
}

#[tokio::test]
async fn one_invalid_event_refuses_the_whole_batch() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    let tomorrow = (chrono::Utc::now() + chrono::Duration::hours(25)).to_rfc3339();
    let cases = [
        (json!({ "name": "Not A Name" }), "events[1].name"),
        (json!({ "eventId": "" }), "events[1].eventId"),
        (json!({ "eventId": "i".repeat(129) }), "events[1].eventId"),
        (json!({ "properties": [1, 2, 3] }), "events[1].properties"),
        // PostgreSQL cannot store U+0000; refusing it keeps both databases alike.
        (
            json!({ "properties": { "text": "a\u{0}b" } }),
            "events[1].properties",
        ),
        (
            json!({ "properties": { "blob": "b".repeat(16 * 1024) } }),
            "events[1].properties",
        ),
        (json!({ "occurredAt": tomorrow }), "events[1].occurredAt"),
        (
            json!({ "sessionId": "not-a-session" }),
            "events[1].sessionId",
        ),
    ];
    for (change, field) in cases {
        let mut bad = event("bad");
        for (key, value) in change.as_object().expect("an object") {
            bad[key] = value.clone();
        }
        let batch = json!([event("good"), bad, event("also-good")]);
        let body = app
            .graphql(&tokens.token, INGEST, json!({ "events": batch }))
            .await;
        assert_bad_input(&body, field);
    }
    assert_eq!(
        all_rows(&app).await,
        0,
        "no event of a refused batch is stored"
    );

    // The good events alone go through, and are not duplicates of anything.
    let body = app
        .graphql(
            &tokens.token,
            INGEST,
            json!({ "events": events(&["good", "also-good"]) }),
        )
        .await;
    assert_eq!(ack(&body).0.len(), 2, "{body}");
}

#[tokio::test]
async fn ingestion_needs_a_caller_and_the_server_telemetry_flag() {
    let app = spawn_app().await;
    let (browser, tokens) = app.new_user_with_token().await;

    let anonymous = reqwest::Client::new()
        .post(app.url("/graphql"))
        .json(&json!({ "query": INGEST, "variables": { "events": events(&["a"]) } }))
        .send()
        .await
        .expect("request")
        .json::<Value>()
        .await
        .expect("body");
    assert_eq!(
        error_code(&anonymous),
        Some("UNAUTHENTICATED"),
        "{anonymous}"
    );

    lossy_api::flags::store::set_override(
        &app.state.db,
        "server_telemetry",
        browser.user_id,
        Some(false),
    )
    .await
    .expect("turn the flag off");
    let refused = app
        .graphql(&tokens.token, INGEST, json!({ "events": events(&["a"]) }))
        .await;
    assert_eq!(error_code(&refused), Some("FEATURE_DISABLED"), "{refused}");
    assert_eq!(all_rows(&app).await, 0);

    lossy_api::flags::store::set_override(&app.state.db, "server_telemetry", browser.user_id, None)
        .await
        .expect("clear the override");
    let accepted = app
        .graphql(&tokens.token, INGEST, json!({ "events": events(&["a"]) }))
        .await;
    assert_eq!(ack(&accepted), (vec!["a".into()], vec![]));
}

/// `POST /graphql` as the dashboard does: session cookie, allowed origin.
async fn graphql_as_browser(
    app: &TestApp,
    browser: &Browser,
    query: &str,
    variables: Value,
) -> Value {
    browser
        .client
        .post(app.url("/graphql"))
        .header("Origin", app.origin())
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("graphql request")
        .json()
        .await
        .expect("graphql body")
}

#[tokio::test]
async fn every_device_and_the_dashboard_have_their_own_event_ids() {
    let app = spawn_app().await;
    let browser = app.new_browser().await;
    let laptop = app.extension_token(&browser).await;
    let desktop = app.extension_token(&browser).await;

    for tokens in [&laptop, &desktop] {
        let body = app
            .graphql(
                &tokens.token,
                INGEST,
                json!({ "events": events(&["same-id"]) }),
            )
            .await;
        assert_eq!(ack(&body), (vec!["same-id".into()], vec![]), "{body}");
    }
    let from_web = graphql_as_browser(
        &app,
        &browser,
        INGEST,
        json!({ "events": events(&["same-id"]) }),
    )
    .await;
    assert_eq!(
        ack(&from_web),
        (vec!["same-id".into()], vec![]),
        "{from_web}"
    );
    let again_from_web = graphql_as_browser(
        &app,
        &browser,
        INGEST,
        json!({ "events": events(&["same-id"]) }),
    )
    .await;
    assert_eq!(ack(&again_from_web), (vec![], vec!["same-id".into()]));

    assert_eq!(rows_of(&app, &laptop.device_id.to_string()).await, 1);
    assert_eq!(rows_of(&app, &desktop.device_id.to_string()).await, 1);
    assert_eq!(rows_of(&app, &format!("web:{}", browser.user_id)).await, 1);
    assert_eq!(all_rows(&app).await, 3);
}

fn flood_event(session_id: Uuid) -> ServerEvent {
    ServerEvent::new("test.flood", TelemetryLevel::Debug)
        .session(session_id)
        .properties(json!({ "from": "the flood test" }))
}

async fn flood_rows(app: &TestApp, session_id: Uuid) -> u64 {
    telemetry_events::Entity::find()
        .filter(telemetry_events::Column::SessionId.eq(session_id))
        .count(&app.state.db)
        .await
        .expect("count telemetry")
}

/// The proof is structural rather than a stopwatch, so a slow machine cannot fail it: `record`
/// returns `()` (it is not a future, so it cannot wait on the database), and on this
/// single-threaded runtime the writer cannot run during the loop, so all but the 8 queued
/// events must have been dropped, not waited for.
#[tokio::test]
async fn a_flood_of_server_events_is_dropped_rather_than_waited_for() {
    let app = spawn_app_with(|config| config.telemetry_queue_capacity = 8).await;
    let (_, tokens) = app.new_user_with_token().await;
    let session = Uuid::new_v4();
    let recorder = app.state.telemetry.clone();
    let dropped_before = recorder.dropped();

    for _ in 0..100_000 {
        let () = recorder.record(flood_event(session));
    }
    let dropped = recorder.dropped() - dropped_before;
    assert!(
        dropped >= 100_000 - 8,
        "only {dropped} of 100000 events dropped with a queue of 8"
    );

    // The server answers right after.
    let body = app
        .graphql(
            &tokens.token,
            INGEST,
            json!({ "events": events(&["after-flood"]) }),
        )
        .await;
    assert_eq!(ack(&body), (vec!["after-flood".into()], vec![]), "{body}");
    let me = app.graphql(&tokens.token, "{ me { id } }", json!({})).await;
    assert!(me["errors"].is_null(), "{me}");

    // What was queued is written; nothing else is.
    let queued = 100_000 - dropped;
    assert!(
        eventually(Duration::from_secs(10), || async {
            flood_rows(&app, session).await == queued
        })
        .await,
        "{queued} queued events not written (found {})",
        flood_rows(&app, session).await
    );
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("lossy_telemetry_dropped_total"),
        "the drop counter is exported"
    );
}

#[tokio::test]
async fn recorded_server_events_reach_the_table_and_the_admin_query() {
    let app = spawn_app().await;
    let session = Uuid::new_v4();
    let base = chrono::Utc::now() - chrono::Duration::seconds(60);
    for i in 0..5 {
        app.state.telemetry.record(
            ServerEvent::new(
                lossy_api::telemetry::names::VOICE_TRANSITION,
                TelemetryLevel::Info,
            )
            .session(session)
            .at(base + chrono::Duration::seconds(i))
            .properties(json!({ "i": i })),
        );
    }
    app.state.telemetry.record(
        ServerEvent::new("voice.other_session", TelemetryLevel::Info).session(Uuid::new_v4()),
    );
    assert!(
        eventually(Duration::from_secs(10), || async {
            all_rows(&app).await == 6
        })
        .await,
        "recorded events not written"
    );

    let token = app.admin_token().await;
    let mut seen: Vec<Value> = Vec::new();
    let mut after = Value::Null;
    loop {
        let body = app
            .graphql(
                &token,
                EVENTS,
                json!({ "first": 2, "after": after, "sessionId": session }),
            )
            .await;
        let page = &body["data"]["telemetryEvents"];
        let edges = page["edges"].as_array().unwrap_or_else(|| panic!("{body}"));
        seen.extend(edges.iter().map(|e| e["node"].clone()));
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    let order: Vec<i64> = seen
        .iter()
        .map(|n| n["properties"]["i"].as_i64().expect("i"))
        .collect();
    assert_eq!(order, [4, 3, 2, 1, 0], "newest first, each once");
    assert!(seen.iter().all(|n| n["source"] == "SERVER"
        && n["level"] == "INFO"
        && n["name"] == "voice.transition"
        && n["sessionId"] == json!(session)));

    let by_name = app
        .graphql(&token, EVENTS, json!({ "name": "voice.other_session" }))
        .await;
    assert_eq!(
        by_name["data"]["telemetryEvents"]["edges"]
            .as_array()
            .map(Vec::len),
        Some(1),
        "{by_name}"
    );

    let (_, user) = app.new_user_with_token().await;
    let refused = app.graphql(&user.token, EVENTS, json!({})).await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"));
}

/// Enough events that writing them takes far longer than the rest of shutdown: were the
/// server to return without waiting for the writer, some would still be queued.
const BACKLOG: u64 = 10_000;

#[tokio::test]
async fn shutting_down_writes_what_is_queued() {
    let app = spawn_app_with(|config| config.telemetry_queue_capacity = BACKLOG as usize).await;
    let session = Uuid::new_v4();
    let state = app.state.clone();
    for _ in 0..BACKLOG {
        state.telemetry.record(flood_event(session));
    }
    assert_eq!(state.telemetry.dropped(), 0);
    app.shutdown().await;
    // No waiting here: the server returned only after the writer finished.
    let written = telemetry_events::Entity::find()
        .filter(telemetry_events::Column::SessionId.eq(session))
        .count(&state.db)
        .await
        .expect("count telemetry");
    assert_eq!(written, BACKLOG);
    // Recording after shutdown is a counted drop, not an error or a wait.
    state.telemetry.record(flood_event(session));
    assert_eq!(state.telemetry.dropped(), 1);
}
