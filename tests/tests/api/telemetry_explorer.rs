//! The telemetry explorer's queries (issue 14): `telemetryEvents` filtered by name, level,
//! user, device, session, source and time (AND-ed), paged by keyset without skipping or
//! repeating; `telemetryNames`; bad ids refused with their field; each filter served by an
//! index; admins only.

use chrono::{DateTime, Duration, TimeZone, Utc};
use lossy_entities::telemetry_events;
use lossy_tests::{TestApp, assert_bad_user_input, error_code, spawn_app};
use sea_orm::{ConnectionTrait, DatabaseBackend, EntityTrait, Set, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

const EVENTS: &str = "query($first: Int, $after: String, $name: String, $sessionId: ID,
    $level: TelemetryLevel, $userId: ID, $deviceId: ID, $source: TelemetrySource,
    $from: DateTime, $to: DateTime) {
    telemetryEvents(first: $first, after: $after, name: $name, sessionId: $sessionId,
        level: $level, userId: $userId, deviceId: $deviceId, source: $source, from: $from,
        to: $to) {
        edges { node { id name level userId deviceId sessionId source occurredAt } }
        pageInfo { hasNextPage endCursor }
    }
}";

const NAMES: [&str; 3] = ["explore.alpha", "explore.beta", "explore.gamma"];
const LEVELS: [&str; 4] = ["debug", "info", "warn", "error"];

/// One seeded event, as the test expects to find it.
#[derive(Debug, Clone)]
struct Seeded {
    id: Uuid,
    name: &'static str,
    level: &'static str,
    user: Option<Uuid>,
    device: Option<Uuid>,
    session: Option<Uuid>,
    source: &'static str,
    at: DateTime<Utc>,
}

fn day() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap()
}

/// 40 events on 2020-01-01 (far from anything the server records while the test runs), in
/// pairs that share their time, spread over names, levels, two users, three devices, one
/// session and both sources.
async fn seed(app: &TestApp) -> (Vec<Seeded>, [Uuid; 2], [Uuid; 3], Uuid) {
    let users = [Uuid::new_v4(), Uuid::new_v4()];
    let devices = [Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4()];
    let session = Uuid::new_v4();
    let mut seeded = Vec::new();
    for i in 0..40usize {
        let event = Seeded {
            id: Uuid::new_v4(),
            name: NAMES[i % 3],
            level: LEVELS[i % 4],
            user: (i % 5 != 0).then(|| users[i % 2]),
            device: (i % 5 != 0).then(|| devices[i % 3]),
            session: (i % 4 == 1).then_some(session),
            source: if i % 3 == 0 { "server" } else { "client" },
            at: day() + Duration::minutes(i64::try_from(i / 2).unwrap()),
        };
        telemetry_events::Entity::insert(telemetry_events::ActiveModel {
            id: Set(event.id),
            client_key: Set(match event.device {
                Some(device) => device.to_string(),
                None => "server".into(),
            }),
            event_id: Set(format!("seed-{i}")),
            user_id: Set(event.user),
            device_id: Set(event.device),
            session_id: Set(event.session),
            name: Set(event.name.into()),
            level: Set(event.level.into()),
            occurred_at: Set(event.at),
            received_at: Set(event.at),
            properties: Set(json!({ "i": i })),
            client_version: Set(None),
            source: Set(event.source.into()),
        })
        .exec_without_returning(&app.state.db)
        .await
        .expect("seed an event");
        seeded.push(event);
    }
    (seeded, users, devices, session)
}

/// Every event `filter` lists, paging three at a time; asserts the pages neither skip nor
/// repeat and answers the ids in list order.
async fn listed(app: &TestApp, admin: &str, filter: &Value) -> Vec<Uuid> {
    let mut ids = Vec::new();
    let mut after = Value::Null;
    loop {
        let mut vars = filter.clone();
        vars["first"] = json!(3);
        vars["after"] = after.clone();
        let body = app.graphql(admin, EVENTS, vars).await;
        assert!(body["errors"].is_null(), "{filter}: {body}");
        let page = &body["data"]["telemetryEvents"];
        for edge in page["edges"].as_array().expect("edges") {
            ids.push(edge["node"]["id"].as_str().unwrap().parse().unwrap());
        }
        if page["pageInfo"]["hasNextPage"] != true {
            return ids;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

/// The seeded events `keep` selects, newest first, ties by id (descending).
fn expected(seeded: &[Seeded], keep: impl Fn(&Seeded) -> bool) -> Vec<Uuid> {
    let mut events: Vec<&Seeded> = seeded.iter().filter(|e| keep(e)).collect();
    events.sort_by_key(|e| std::cmp::Reverse((e.at, e.id)));
    events.into_iter().map(|e| e.id).collect()
}

fn the_day(extra: Value) -> Value {
    let mut vars = json!({ "from": day(), "to": day() + Duration::days(1) });
    for (key, value) in extra.as_object().expect("an object") {
        vars[key] = value.clone();
    }
    vars
}

#[tokio::test]
async fn each_filter_narrows_the_list_and_pages_without_gaps() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (seeded, users, devices, session) = seed(&app).await;

    let all = expected(&seeded, |_| true);
    assert_eq!(listed(&app, &admin, &the_day(json!({}))).await, all);

    type Keep = Box<dyn Fn(&Seeded) -> bool>;
    let cases: Vec<(Value, Keep)> = vec![
        (
            json!({ "name": "explore.beta" }),
            Box::new(|e| e.name == "explore.beta"),
        ),
        (
            json!({ "level": "ERROR" }),
            Box::new(|e| e.level == "error"),
        ),
        (
            json!({ "userId": users[0] }),
            Box::new(move |e| e.user == Some(users[0])),
        ),
        (
            json!({ "deviceId": devices[2] }),
            Box::new(move |e| e.device == Some(devices[2])),
        ),
        (
            json!({ "sessionId": session }),
            Box::new(move |e| e.session == Some(session)),
        ),
        (
            json!({ "source": "SERVER" }),
            Box::new(|e| e.source == "server"),
        ),
        (
            json!({ "from": day() + Duration::minutes(5), "to": day() + Duration::minutes(12) }),
            Box::new(|e| {
                e.at >= day() + Duration::minutes(5) && e.at < day() + Duration::minutes(12)
            }),
        ),
        (
            json!({ "level": "INFO", "userId": users[1], "source": "CLIENT" }),
            Box::new(move |e| {
                e.level == "info" && e.user == Some(users[1]) && e.source == "client"
            }),
        ),
        (
            json!({ "name": "explore.alpha", "deviceId": devices[0], "to": day() + Duration::minutes(15) }),
            Box::new(move |e| {
                e.name == "explore.alpha"
                    && e.device == Some(devices[0])
                    && e.at < day() + Duration::minutes(15)
            }),
        ),
    ];
    for (filter, keep) in cases {
        let want = expected(&seeded, keep);
        assert!(
            !want.is_empty() && want.len() < all.len(),
            "{filter} should narrow the list"
        );
        assert_eq!(
            listed(&app, &admin, &the_day(filter.clone())).await,
            want,
            "{filter}"
        );
    }

    // A filter nothing matches answers an empty page.
    let none = listed(&app, &admin, &the_day(json!({ "userId": Uuid::new_v4() }))).await;
    assert!(none.is_empty());
}

#[tokio::test]
async fn names_are_distinct_and_sorted() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    seed(&app).await;
    let body = app.graphql(&admin, "{ telemetryNames }", Value::Null).await;
    assert!(body["errors"].is_null(), "{body}");
    let names: Vec<&str> = body["data"]["telemetryNames"]
        .as_array()
        .expect("names")
        .iter()
        .map(|n| n.as_str().expect("a name"))
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(names, sorted, "sorted and distinct");
    for name in NAMES {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
}

#[tokio::test]
async fn bad_ids_and_ranges_are_refused_with_their_field() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for field in ["userId", "deviceId", "sessionId"] {
        let body = app
            .graphql(&admin, EVENTS, json!({ field: "not-a-uuid" }))
            .await;
        assert_bad_user_input(&body, field, field);
    }
    let backwards = app
        .graphql(
            &admin,
            EVENTS,
            json!({ "from": day() + Duration::hours(1), "to": day() }),
        )
        .await;
    assert_bad_user_input(&backwards, "to", "to before from");
}

#[tokio::test]
async fn only_admins_explore_telemetry() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    for query in [EVENTS, "{ telemetryNames }"] {
        let body = app.graphql(&tokens.token, query, json!({})).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{query}: {body}");
    }
}

/// On SQLite, each filter's page query walks the index meant for it (see
/// `lossy_api::telemetry::graphql::events_query`), also past a cursor; so the explorer stays
/// quick at a million rows. PostgreSQL's planner chooses by statistics, so it is not pinned.
#[tokio::test]
async fn each_filter_reads_an_index() {
    use lossy_api::telemetry::graphql::{EventFilter, events_query};
    use lossy_api::telemetry::{TelemetryLevel, TelemetrySource};
    use sea_orm::QueryTrait;

    let app = spawn_app().await;
    let db = &app.state.db;
    if db.get_database_backend() != DatabaseBackend::Sqlite {
        return;
    }
    let id = Some(Uuid::new_v4());
    let cases = [
        (
            EventFilter::default(),
            "idx_telemetry_events_occurred_at_id",
        ),
        (
            EventFilter {
                from: Some(day()),
                to: Some(day() + Duration::days(1)),
                ..Default::default()
            },
            "idx_telemetry_events_occurred_at_id",
        ),
        (
            EventFilter {
                name: Some("explore.alpha".into()),
                ..Default::default()
            },
            "idx_telemetry_events_name_occurred_at",
        ),
        (
            EventFilter {
                user_id: id,
                ..Default::default()
            },
            "idx_telemetry_events_user_id_occurred_at",
        ),
        (
            EventFilter {
                device_id: id,
                ..Default::default()
            },
            "idx_telemetry_events_device_id_occurred_at_id",
        ),
        (
            EventFilter {
                session_id: id,
                ..Default::default()
            },
            "idx_telemetry_events_session_id",
        ),
        (
            EventFilter {
                level: Some(TelemetryLevel::Error),
                ..Default::default()
            },
            "idx_telemetry_events_level_occurred_at_id",
        ),
        (
            EventFilter {
                source: Some(TelemetrySource::Client),
                ..Default::default()
            },
            "idx_telemetry_events_source_occurred_at_id",
        ),
    ];
    for (filter, index) in cases {
        for after in [None, Some((day(), Uuid::new_v4()))] {
            let statement = events_query(&filter, after, 51).build(DatabaseBackend::Sqlite);
            let plan = db
                .query_all_raw(Statement::from_sql_and_values(
                    DatabaseBackend::Sqlite,
                    format!("EXPLAIN QUERY PLAN {}", statement.sql),
                    statement.values.map(|v| v.0).unwrap_or_default(),
                ))
                .await
                .expect("plan");
            let details: Vec<String> = plan
                .iter()
                .map(|row| row.try_get::<String>("", "detail").expect("detail"))
                .collect();
            assert!(
                details.iter().any(|d| d.contains(index)),
                "{filter:?} (after {after:?}) should use {index}: {details:?}"
            );
            assert!(
                !details.iter().any(|d| d == "SCAN telemetry_events"),
                "{filter:?}: a full scan: {details:?}"
            );
        }
    }
}
