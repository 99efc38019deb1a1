//! Analytics over the real server: seeded rollups and voice sessions give known counts and
//! percentiles (each within one histogram bucket of the exact one), an empty database answers
//! zeros, bad ranges are refused with their field, non-admins are refused, the query costs
//! the same statements for any range, and real traffic shows up once the writer flushed.
//!
//! Runs on SQLite, or on PostgreSQL with `LOSSY_TEST_DATABASE_URL`.

use std::time::Duration;

use chrono::{DateTime, Utc};
use lossy_api::analytics::histogram::{bucket_of, exact_percentile};
use lossy_api::analytics::rollup::flush;
use lossy_api::analytics::{Rollups, Series};
use lossy_entities::voice_sessions;
use lossy_tests::extension::{Extension, heartbeat};
use lossy_tests::{
    TestApp, assert_bad_user_input, error_code, eventually, spawn_app, spawn_app_with,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::{Value, json};
use uuid::Uuid;

const POINT: &str = "at
    noteDelivery { count p50Ms p95Ms p99Ms }
    voiceEvent { count p50Ms p95Ms p99Ms }
    notesCreated notesSuppressed voiceEvents errors resets disconnects reconnects
    activeSessions activeUsers telemetryAccepted telemetryDuplicates telemetryDropped";

fn query() -> String {
    format!(
        "query($from: DateTime!, $to: DateTime!, $bucket: AnalyticsBucket!) {{
            analytics(from: $from, to: $to, bucket: $bucket) {{
                from to bucket points {{ {POINT} }} total {{ {POINT} }}
            }}
        }}"
    )
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("a time")
}

async fn analytics(app: &TestApp, token: &str, from: &str, to: &str, bucket: &str) -> Value {
    app.graphql(
        token,
        &query(),
        json!({ "from": from, "to": to, "bucket": bucket }),
    )
    .await
}

async fn answered(app: &TestApp, token: &str, from: &str, to: &str, bucket: &str) -> Value {
    let body = analytics(app, token, from, to, bucket).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["analytics"].clone()
}

/// Asserts a percentile from the rollups lies within one bucket of the exact one.
fn assert_within_a_bucket(answer: &Value, samples: &[f64], p: f64) {
    let estimate = answer
        .as_f64()
        .unwrap_or_else(|| panic!("no percentile: {answer}"));
    let exact = exact_percentile(samples, p).expect("samples");
    assert!(
        bucket_of(estimate).abs_diff(bucket_of(exact)) <= 1,
        "p{p}: {estimate} vs exact {exact}"
    );
}

/// A voice session of `user` on `device` live from `start` until `end` (open when `None`).
async fn seed_session(app: &TestApp, user: Uuid, device: Uuid, start: &str, end: Option<&str>) {
    voice_sessions::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(user),
        device_id: Set(device),
        video_id: Set(None),
        tab_id: Set(1),
        page_instance_id: Set("seeded".into()),
        state: Set(if end.is_some() { "closed" } else { "observing" }.into()),
        last_applied_seq: Set(0),
        counters: Set(json!({})),
        machine: Set(json!({})),
        started_at: Set(at(start)),
        updated_at: Set(at(start)),
        last_event_at: Set(at(start)),
        ended_at: Set(end.map(at)),
        end_reason: Set(end.map(|_| "stopped".to_owned())),
        node: Set(None),
        epoch: Set(0),
        lease_until: Set(None),
    }
    .insert(&app.state.db)
    .await
    .expect("seed a voice session");
}

/// Latencies 1..=100 ms in the 10:00 hour, 50 times 1 s (and one 2 s voice event) in the
/// 11:00 hour of 2026-01-05, with counts beside them; answers the note delivery samples.
async fn seed_rollups(app: &TestApp) -> (Vec<f64>, Vec<f64>) {
    let rollups = Rollups::new();
    let mut ten = Vec::new();
    for ms in 1..=100 {
        let ms = f64::from(ms);
        rollups.observe_at(at("2026-01-05T10:20:00Z"), Series::NoteDelivery, ms);
        ten.push(ms);
    }
    let mut eleven = Vec::new();
    for i in 0..50 {
        let minute = at("2026-01-05T11:00:00Z") + chrono::Duration::minutes(i);
        rollups.observe_at(minute, Series::NoteDelivery, 1_000.0);
        eleven.push(1_000.0);
    }
    rollups.observe_at(at("2026-01-05T11:59:59Z"), Series::VoiceEvent, 2_000.0);
    rollups.observe_at(at("2026-01-05T10:05:00Z"), Series::VoiceEvent, 3.0);
    for (when, series, n) in [
        ("2026-01-05T10:05:30Z", Series::NotesCreated, 3),
        ("2026-01-05T11:30:00Z", Series::NotesCreated, 2),
        ("2026-01-05T10:05:00Z", Series::NotesSuppressed, 1),
        ("2026-01-05T10:06:00Z", Series::Errors, 4),
        ("2026-01-05T11:06:00Z", Series::Resets, 5),
        ("2026-01-05T11:07:00Z", Series::Disconnects, 6),
        ("2026-01-05T11:08:00Z", Series::Reconnects, 7),
        ("2026-01-05T12:00:00Z", Series::TelemetryAccepted, 8),
        ("2026-01-05T12:59:59Z", Series::TelemetryDuplicates, 9),
        ("2026-01-05T12:01:00Z", Series::TelemetryDropped, 10),
        // Outside every range asked below.
        ("2026-01-05T13:00:00Z", Series::NotesCreated, 1_000),
        ("2026-01-05T09:59:59Z", Series::NotesCreated, 1_000),
    ] {
        rollups.count_at(at(when), series, n);
    }
    flush(&app.state.lane, &rollups).await.expect("flush");
    // A second flush adds to the rows the first wrote.
    rollups.count_at(at("2026-01-05T10:05:59Z"), Series::NotesCreated, 1);
    flush(&app.state.lane, &rollups).await.expect("flush");
    (ten, eleven)
}

#[tokio::test]
async fn seeded_rollups_and_sessions_give_known_answers() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (ten, eleven) = seed_rollups(&app).await;
    let (a, a_tokens) = app.new_user_with_token().await;
    let (b, b_tokens) = app.new_user_with_token().await;
    let (a, b) = (a.user_id, b.user_id);
    let (a_device, b_device) = (a_tokens.device_id, b_tokens.device_id);
    seed_session(
        &app,
        a,
        a_device,
        "2026-01-05T10:10:00Z",
        Some("2026-01-05T10:50:00Z"),
    )
    .await;
    seed_session(
        &app,
        a,
        a_device,
        "2026-01-05T10:30:00Z",
        Some("2026-01-05T11:20:00Z"),
    )
    .await;
    seed_session(&app, b, b_device, "2026-01-05T11:59:00Z", None).await;
    // Ended exactly when the range starts: never live in it.
    seed_session(
        &app,
        b,
        b_device,
        "2026-01-05T09:00:00Z",
        Some("2026-01-05T10:00:00Z"),
    )
    .await;

    let hours = answered(
        &app,
        &admin,
        "2026-01-05T10:00:00Z",
        "2026-01-05T13:00:00Z",
        "HOUR",
    )
    .await;
    assert_eq!(hours["bucket"], "HOUR");
    let points = hours["points"].as_array().expect("points");
    assert_eq!(points.len(), 3);
    let starts: Vec<&str> = points.iter().map(|p| p["at"].as_str().unwrap()).collect();
    assert_eq!(
        starts.iter().map(|s| at(s)).collect::<Vec<_>>(),
        [
            "2026-01-05T10:00:00Z",
            "2026-01-05T11:00:00Z",
            "2026-01-05T12:00:00Z"
        ]
        .map(at)
        .to_vec()
    );

    let (p10, p11, p12) = (&points[0], &points[1], &points[2]);
    assert_eq!(p10["noteDelivery"]["count"], 100);
    for p in [0.5, 0.95, 0.99] {
        let key = format!("p{}Ms", (p * 100.0) as i32);
        assert_within_a_bucket(&p10["noteDelivery"][&key], &ten, p);
        assert_within_a_bucket(&p11["noteDelivery"][&key], &eleven, p);
    }
    assert_eq!(p11["noteDelivery"]["count"], 50);
    assert_eq!(
        p12["noteDelivery"],
        json!({ "count": 0, "p50Ms": null, "p95Ms": null, "p99Ms": null })
    );
    assert_eq!(
        (
            &p10["notesCreated"],
            &p10["notesSuppressed"],
            &p10["errors"],
            &p10["voiceEvents"]
        ),
        (&json!(4), &json!(1), &json!(4), &json!(1))
    );
    assert_eq!(
        (
            &p11["notesCreated"],
            &p11["resets"],
            &p11["disconnects"],
            &p11["reconnects"],
            &p11["voiceEvents"]
        ),
        (&json!(2), &json!(5), &json!(6), &json!(7), &json!(1))
    );
    assert_eq!(
        (
            &p12["telemetryAccepted"],
            &p12["telemetryDuplicates"],
            &p12["telemetryDropped"]
        ),
        (&json!(8), &json!(9), &json!(10))
    );
    assert_eq!(p12["notesCreated"], 0, "13:00 is outside the range");
    let active = |p: &Value| (p["activeSessions"].as_i64(), p["activeUsers"].as_i64());
    assert_eq!(active(p10), (Some(2), Some(1)));
    assert_eq!(active(p11), (Some(2), Some(2)));
    assert_eq!(active(p12), (Some(1), Some(1)));

    let total = &hours["total"];
    assert_eq!(
        at(total["at"].as_str().unwrap()),
        at("2026-01-05T10:00:00Z")
    );
    assert_eq!(total["noteDelivery"]["count"], 150);
    let all: Vec<f64> = ten.iter().chain(&eleven).copied().collect();
    for p in [0.5, 0.95, 0.99] {
        let key = format!("p{}Ms", (p * 100.0) as i32);
        assert_within_a_bucket(&total["noteDelivery"][&key], &all, p);
    }
    assert_within_a_bucket(&total["voiceEvent"]["p99Ms"], &[3.0, 2_000.0], 0.99);
    assert_eq!(total["notesCreated"], 6);
    assert_eq!(total["voiceEvents"], 2);
    assert_eq!(active(total), (Some(3), Some(2)));

    // Days group the same rows in the database; the first day holds everything.
    let days = answered(
        &app,
        &admin,
        "2026-01-05T10:00:00Z",
        "2026-01-07T00:00:00Z",
        "DAY",
    )
    .await;
    let points = days["points"].as_array().expect("points");
    assert_eq!(points.len(), 2);
    assert_eq!(
        at(points[0]["at"].as_str().unwrap()),
        at("2026-01-05T00:00:00Z")
    );
    assert_eq!(
        points[0]["notesCreated"], 1_006,
        "from 10:00 on, 13:00 included"
    );
    assert_eq!(points[0]["noteDelivery"]["count"], 150);
    assert_eq!(points[1]["notesCreated"], 0);
    assert_eq!(
        points[1]["activeSessions"], 1,
        "the open session is still live"
    );

    // Minutes: the 10:05 minute holds both flushes' notes.
    let minutes = answered(
        &app,
        &admin,
        "2026-01-05T10:00:00Z",
        "2026-01-05T10:10:00Z",
        "MINUTE",
    )
    .await;
    let points = minutes["points"].as_array().expect("points");
    assert_eq!(points.len(), 10);
    assert_eq!(points[5]["notesCreated"], 4);
    assert_eq!(points[5]["voiceEvent"]["count"], 1);
    assert_eq!(points[6]["errors"], 4);
    assert_eq!(minutes["total"]["notesCreated"], 4);
}

#[tokio::test]
async fn an_empty_database_answers_zeros_and_null_percentiles() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let answer = answered(
        &app,
        &admin,
        "2025-01-01T00:00:00Z",
        "2026-02-05T00:00:00Z",
        "DAY",
    )
    .await;
    let points = answer["points"].as_array().expect("points");
    assert_eq!(points.len(), 400);
    for point in points.iter().chain([&answer["total"]]) {
        for latency in ["noteDelivery", "voiceEvent"] {
            assert_eq!(
                point[latency],
                json!({ "count": 0, "p50Ms": null, "p95Ms": null, "p99Ms": null })
            );
        }
        for count in [
            "notesCreated",
            "notesSuppressed",
            "voiceEvents",
            "errors",
            "resets",
            "disconnects",
            "reconnects",
            "activeSessions",
            "activeUsers",
            "telemetryAccepted",
            "telemetryDuplicates",
            "telemetryDropped",
        ] {
            assert_eq!(point[count], 0, "{count}");
        }
    }
}

#[tokio::test]
async fn bad_ranges_are_refused_with_their_field() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for (from, to, bucket, field) in [
        (
            "2016-01-01T00:00:00Z",
            "2026-01-01T00:00:00Z",
            "DAY",
            "from",
        ),
        (
            "2026-01-01T00:00:00Z",
            "2026-01-03T00:00:00Z",
            "MINUTE",
            "bucket",
        ),
        (
            "2026-01-01T00:00:00Z",
            "2026-04-01T00:00:00Z",
            "HOUR",
            "bucket",
        ),
        ("2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "HOUR", "to"),
        ("2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z", "HOUR", "to"),
    ] {
        let body = analytics(&app, &admin, from, to, bucket).await;
        assert_bad_user_input(&body, field, format!("{from}..{to} by {bucket}"));
    }
}

#[tokio::test]
async fn only_admins_may_ask() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    let body = analytics(
        &app,
        &tokens.token,
        "2026-01-01T00:00:00Z",
        "2026-01-02T00:00:00Z",
        "HOUR",
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let anonymous = analytics(
        &app,
        "",
        "2026-01-01T00:00:00Z",
        "2026-01-02T00:00:00Z",
        "HOUR",
    )
    .await;
    assert_eq!(
        error_code(&anonymous),
        Some("UNAUTHENTICATED"),
        "{anonymous}"
    );
}

/// The statements one `analytics` query runs, on a connection that counts them.
async fn statements(app: &TestApp, from: &str, to: &str, bucket: &str) -> usize {
    use lossy_api::auth::{Credential, Role, Viewer};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let counted = Arc::new(AtomicUsize::new(0));
    let mut state = app.state.clone();
    let counter = counted.clone();
    state.db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let schema = lossy_api::graphql::build_schema(&app.state.config, Some(state));
    let viewer = Viewer {
        user_id: Uuid::new_v4(),
        email: "counted@lossy.test".into(),
        role: Role::Admin,
        credential: Credential::WebSession {
            session_id: Uuid::new_v4(),
        },
    };
    let request = async_graphql::Request::new(query())
        .variables(async_graphql::Variables::from_json(
            json!({ "from": from, "to": to, "bucket": bucket }),
        ))
        .data(viewer);
    let response = schema.execute(request).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    counted.load(Ordering::SeqCst)
}

#[tokio::test]
async fn the_query_costs_two_statements_for_any_range_and_rows() {
    let app = spawn_app().await;
    assert_eq!(
        statements(&app, "2026-01-05T10:00:00Z", "2026-01-05T13:00:00Z", "HOUR").await,
        2
    );
    seed_rollups(&app).await;
    for (from, to, bucket) in [
        ("2026-01-05T10:00:00Z", "2026-01-05T13:00:00Z", "HOUR"),
        ("2026-01-05T10:00:00Z", "2026-01-06T10:00:00Z", "MINUTE"),
        ("2025-01-01T00:00:00Z", "2026-02-05T00:00:00Z", "DAY"),
    ] {
        assert_eq!(
            statements(&app, from, to, bucket).await,
            2,
            "{from}..{to} by {bucket}"
        );
    }
}

#[tokio::test]
async fn real_traffic_shows_up_after_the_flush() {
    let app = spawn_app_with(|config| config.analytics_flush_ms = 50).await;
    let admin = app.admin_token().await;
    let (_, tokens) = app.new_user_with_token().await;

    let video = app
        .graphql(
            &tokens.token,
            "mutation($input: DetectVideoInput!) { detectVideo(input: $input) { id } }",
            json!({ "input": { "url": "https://vimeo.com/4242", "durationSeconds": 100.0 } }),
        )
        .await["data"]["detectVideo"]["id"]
        .as_str()
        .expect("a video")
        .to_owned();
    let note = app
        .graphql(
            &tokens.token,
            "mutation($input: SubmitTranscriptInput!) { submitTranscript(input: $input) { status } }",
            json!({ "input": { "utteranceId": "u-1", "videoId": video, "mediaTime": 3.0,
                               "durationMs": 2000, "confidence": 0.95,
                               "text": "the music is way too loud under her voice" } }),
        )
        .await;
    assert_eq!(
        note["data"]["submitTranscript"]["status"], "GHOST",
        "{note}"
    );

    let mut extension = Extension::connect(&app, &tokens).await;
    let session = extension.start().await;
    let answer = extension.event(heartbeat(&session, 1)).await;
    assert_eq!(answer["outcome"], "APPLIED", "{answer}");

    let ingest = "mutation($events: [TelemetryEventInput!]!) { ingestTelemetry(events: $events) { accepted } }";
    let events = json!([{ "eventId": "e-1", "name": "vad.model_loaded", "level": "INFO",
                          "occurredAt": Utc::now().to_rfc3339(), "properties": {} }]);
    for _ in 0..2 {
        let body = app
            .graphql(&tokens.token, ingest, json!({ "events": events }))
            .await;
        assert!(body["errors"].is_null(), "{body}");
    }

    let now = Utc::now();
    let from = (now - chrono::Duration::hours(1)).to_rfc3339();
    let to = (now + chrono::Duration::minutes(2)).to_rfc3339();
    let last = std::cell::RefCell::new(Value::Null);
    let arrived = eventually(Duration::from_secs(10), || async {
        let total = answered(&app, &admin, &from, &to, "HOUR").await["total"].clone();
        let done = total["noteDelivery"]["count"] == 1
            && total["notesCreated"] == 1
            && total["voiceEvents"] == 1
            && total["voiceEvent"]["p50Ms"].is_number()
            && total["telemetryAccepted"] == 1
            && total["telemetryDuplicates"] == 1;
        *last.borrow_mut() = total;
        done
    })
    .await;
    let last = last.into_inner();
    assert!(arrived, "traffic did not reach the analytics: {last}");
    assert_eq!(last["activeSessions"], 1);
    assert_eq!(last["activeUsers"], 1);
}
