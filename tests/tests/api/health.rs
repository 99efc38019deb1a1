//! `serverHealth` and `jobCounts`: the admin console's health page.

use std::time::Duration;

use lossy_tests::extension::Extension;
use lossy_tests::ws::RawSocket;
use lossy_tests::{TestApp, eventually, spawn_app, spawn_app_with};
use serde_json::{Value, json};

const HEALTH: &str = "{ serverHealth { version node startedAt uptimeSeconds
    database { backend ok latencyMs error } jobs { pending running done dead }
    openSockets liveSessions } }";

async fn health(app: &TestApp, token: &str) -> Value {
    let body = app.graphql(token, HEALTH, json!({})).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["serverHealth"].clone()
}

#[tokio::test]
async fn server_health_reports_this_process_its_database_sockets_and_sessions() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;

    let quiet = health(&app, &admin).await;
    assert_eq!(quiet["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(quiet["node"], app.state.node.as_ref());
    assert!(!app.state.node.is_empty());
    let started: chrono::DateTime<chrono::Utc> =
        quiet["startedAt"].as_str().unwrap().parse().unwrap();
    assert!(started <= chrono::Utc::now());
    assert!(quiet["uptimeSeconds"].as_i64().unwrap() >= 0);
    let backend = if std::env::var_os("LOSSY_TEST_DATABASE_URL").is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(
        quiet["database"]["backend"], backend,
        "{}",
        quiet["database"]
    );
    assert_eq!(quiet["database"]["ok"], true);
    assert_eq!(quiet["database"]["error"], Value::Null);
    assert!(quiet["database"]["latencyMs"].as_f64().unwrap() >= 0.0);
    assert_eq!(
        quiet["jobs"],
        json!({ "pending": 0, "running": 0, "done": 0, "dead": 0 })
    );
    assert_eq!(quiet["openSockets"], 0);
    assert_eq!(quiet["liveSessions"], 0);

    // Two sockets, one of them with a voice session.
    let (_, tokens) = app.new_user_with_token().await;
    let mut extension = Extension::connect(&app, &tokens).await;
    extension.start().await;
    let mut other = RawSocket::connect(&app.ws_url(), None).await;
    other.init(&tokens.token).await;
    let busy = health(&app, &admin).await;
    assert_eq!(busy["openSockets"], 2, "{busy}");
    assert_eq!(busy["liveSessions"], 1, "{busy}");

    other.close().await;
    assert!(
        eventually(Duration::from_secs(5), || async {
            health(&app, &admin).await["openSockets"] == 1
        })
        .await,
        "a closed socket is no longer counted"
    );
}

const COUNTS: &str =
    "query($kind: JobKind) { jobCounts(kind: $kind) { pending running done dead } }";

#[tokio::test]
async fn job_counts_count_the_queue_by_state_and_kind() {
    // Nothing listens on port 9: each post fails at once and, with one try, its job is dead.
    let app = spawn_app_with(|config| {
        config.jobs.poll_ms = 50;
        config.jobs.backoff_ms = 50;
        config.jobs.heartbeat_secs = 1;
        config.jobs.webhook_allow_private = true;
        config.jobs.post_attempts = 1;
    })
    .await;
    let admin = app.admin_token().await;
    let (_, tokens) = app.new_user_with_token().await;
    let set = app
        .graphql(
            &tokens.token,
            "mutation($input: WebhookInput!) { setWebhook(input: $input) { url } }",
            json!({ "input": { "url": "http://127.0.0.1:9/hook", "secret": "a-secret-of-enough-length" } }),
        )
        .await;
    assert!(set["errors"].is_null(), "{set}");
    let video = app
        .graphql(
            &tokens.token,
            "mutation($input: DetectVideoInput!) { detectVideo(input: $input) { id } }",
            json!({ "input": { "url": "https://vimeo.com/76979871" } }),
        )
        .await["data"]["detectVideo"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for text in ["Fix the title typo", "The music is too loud"] {
        let note = app
            .graphql(
                &tokens.token,
                "mutation($input: CreateNoteInput!) { createNote(input: $input) { id } }",
                json!({ "input": { "videoId": video, "text": text, "category": "AUDIO",
                                   "timestampSeconds": 12.0 } }),
            )
            .await;
        let id = note["data"]["createNote"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let posted = app
            .graphql(
                &tokens.token,
                "mutation($id: ID!) { postNote(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert!(posted["errors"].is_null(), "{posted}");
    }

    let counts = |kind: Option<&'static str>| {
        let app = &app;
        let admin = &admin;
        async move {
            let body = app.graphql(admin, COUNTS, json!({ "kind": kind })).await;
            assert!(body["errors"].is_null(), "{body}");
            body["data"]["jobCounts"].clone()
        }
    };
    assert!(
        eventually(Duration::from_secs(20), || async {
            counts(None).await["dead"] == 2
        })
        .await,
        "both posts die: {}",
        counts(None).await
    );
    assert_eq!(
        counts(Some("POST_NOTE")).await,
        json!({ "pending": 0, "running": 0, "done": 0, "dead": 2 })
    );
    assert_eq!(
        counts(Some("REFINE_NOTE")).await,
        json!({ "pending": 0, "running": 0, "done": 0, "dead": 0 })
    );
    // The same figures as the list of dead jobs, and in serverHealth.
    let listed = app
        .graphql(
            &admin,
            "{ jobs(state: DEAD, first: 100) { nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["data"]["jobs"]["nodes"].as_array().map(Vec::len),
        Some(2),
        "{listed}"
    );
    assert_eq!(health(&app, &admin).await["jobs"]["dead"], 2);
}
