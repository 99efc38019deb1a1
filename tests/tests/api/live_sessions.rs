//! `liveSessions` and `liveSessionsChanged`: the admin console's view of the voice sessions
//! live on this server.

use std::time::{Duration, Instant};

use lossy_tests::extension::{Extension, speech_start};
use lossy_tests::ws::RawSocket;
use lossy_tests::{TestApp, assert_bad_user_input, error_code, spawn_app};
use serde_json::{Value, json};

const LIVE: &str = "query($first: Int) { liveSessions(first: $first) {
    at total byState { state count }
    sessions { id user { id email } videoId videoTitle state startedAt lastEventAt node } } }";
const CHANGED: &str = "subscription { liveSessionsChanged { total byState { state count }
    sessions { id state user { email } } } }";
const STOP: &str = "mutation($id: ID!) { stopVoiceSession(sessionId: $id) { id state } }";

const LIVE_STATES: [&str; 7] = [
    "IDLE",
    "OBSERVING",
    "RECORDING",
    "COOLDOWN",
    "ERROR",
    "DISCONNECTED",
    "RECONNECTING",
];

async fn live(app: &TestApp, token: &str, first: Option<i32>) -> Value {
    let body = app.graphql(token, LIVE, json!({ "first": first })).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["liveSessions"].clone()
}

/// The count of `state` in a `byState` list.
fn count(live: &Value, state: &str) -> i64 {
    live["byState"]
        .as_array()
        .expect("byState")
        .iter()
        .find(|c| c["state"] == state)
        .and_then(|c| c["count"].as_i64())
        .unwrap_or_else(|| panic!("no {state} in {live}"))
}

async fn titled_video(app: &TestApp, token: &str, title: &str) -> String {
    let body = app
        .graphql(
            token,
            "mutation($input: DetectVideoInput!) { detectVideo(input: $input) { id } }",
            json!({ "input": { "url": "https://vimeo.com/76979871", "title": title } }),
        )
        .await;
    body["data"]["detectVideo"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

/// A new user's extension socket with a session started (on `video` when given).
async fn reviewer_in_session(
    app: &TestApp,
    video_title: Option<&str>,
) -> (uuid::Uuid, Extension, String) {
    let (browser, tokens) = app.new_user_with_token().await;
    let video = match video_title {
        Some(title) => Some(titled_video(app, &tokens.token, title).await),
        None => None,
    };
    let mut extension = Extension::connect(app, &tokens).await;
    let session = extension.start_on(video.as_deref(), 3, "page-1").await;
    (browser.user_id, extension, session)
}

#[tokio::test]
async fn live_sessions_count_and_list_the_sessions_as_they_start_change_state_and_end() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;

    let empty = live(&app, &admin, None).await;
    assert_eq!(empty["total"], 0);
    let states: Vec<&str> = empty["byState"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, LIVE_STATES, "every state but CLOSED, in enum order");
    assert!(
        empty["byState"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["count"] == 0)
    );
    assert_eq!(empty["sessions"], json!([]));

    let (_, mut with_video, first) = reviewer_in_session(&app, Some("Cut 3")).await;
    let (user_id, mut without_video, second) = reviewer_in_session(&app, None).await;
    let both = live(&app, &admin, None).await;
    assert_eq!(both["total"], 2, "{both}");
    assert_eq!(count(&both, "OBSERVING"), 2);
    let listed = |live: &Value, id: &str| -> Value {
        live["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} not in {live}"))
    };
    let titled = listed(&both, &first);
    assert_eq!(titled["videoTitle"], "Cut 3");
    assert!(titled["videoId"].is_string());
    assert_eq!(titled["state"], "OBSERVING");
    assert_eq!(titled["node"], app.state.node.as_ref());
    assert!(
        titled["user"]["email"]
            .as_str()
            .unwrap()
            .ends_with("@lossy.test")
    );
    let untitled = listed(&both, &second);
    assert_eq!(untitled["videoId"], Value::Null);
    assert_eq!(untitled["videoTitle"], Value::Null);
    assert_eq!(untitled["user"]["id"], user_id.to_string());

    // The first session starts recording: counted there, and listed first (most recent).
    let ack = with_video.event(speech_start(&first, 1, "u1")).await;
    assert_eq!(ack["state"], "RECORDING", "{ack}");
    let recording = live(&app, &admin, None).await;
    assert_eq!(count(&recording, "RECORDING"), 1, "{recording}");
    assert_eq!(count(&recording, "OBSERVING"), 1);
    assert_eq!(recording["sessions"][0]["id"], first.as_str());
    assert!(recording["sessions"][0]["lastEventAt"].is_string());

    // `first` bounds the list, not the counts.
    let one = live(&app, &admin, Some(1)).await;
    assert_eq!(one["total"], 2);
    assert_eq!(one["sessions"].as_array().unwrap().len(), 1);
    for bad in [0, -1, 201] {
        let body = app.graphql(&admin, LIVE, json!({ "first": bad })).await;
        assert_bad_user_input(&body, "first", bad);
    }

    let stopped = without_video.call(STOP, json!({ "id": second })).await;
    assert_eq!(
        stopped["data"]["stopVoiceSession"]["state"], "CLOSED",
        "{stopped}"
    );
    assert!(
        lossy_tests::eventually(Duration::from_secs(5), || async {
            live(&app, &admin, None).await["total"] == 1
        })
        .await,
        "an ended session leaves the list"
    );
}

/// The next `liveSessionsChanged` payload on `socket`.
async fn next_live(socket: &mut RawSocket) -> Value {
    let message = socket.next_json().await;
    assert_eq!(message["type"], "next", "{message}");
    message["payload"]["data"]["liveSessionsChanged"].clone()
}

#[tokio::test]
async fn the_subscription_answers_at_once_then_on_each_change_at_most_once_a_second() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut console = RawSocket::connect(&app.ws_url(), None).await;
    console.init(&admin).await;
    console.subscribe("live", CHANGED, Value::Null).await;
    let at_once = next_live(&mut console).await;
    assert_eq!(at_once["total"], 0, "{at_once}");

    let (_, mut extension, session) = reviewer_in_session(&app, None).await;
    let started = next_live(&mut console).await;
    let started_at = Instant::now();
    assert_eq!(started["total"], 1, "{started}");
    assert_eq!(started["sessions"][0]["id"], session.as_str());
    assert_eq!(count(&started, "OBSERVING"), 1);

    // A state change right after is sent, but not within a second of the last answer.
    extension.event(speech_start(&session, 1, "u1")).await;
    let recording = next_live(&mut console).await;
    assert!(
        started_at.elapsed() >= Duration::from_millis(900),
        "answered {:?} after the previous one",
        started_at.elapsed()
    );
    assert_eq!(count(&recording, "RECORDING"), 1, "{recording}");

    // Heartbeats and other events that change no state send nothing.
    extension
        .event(lossy_tests::extension::heartbeat(&session, 2))
        .await;
    console.expect_silence(Duration::from_millis(1500)).await;

    extension.call(STOP, json!({ "id": session })).await;
    let ended = next_live(&mut console).await;
    assert_eq!(ended["total"], 0, "{ended}");
    assert_eq!(ended["sessions"], json!([]));
}

#[tokio::test]
async fn live_sessions_cost_the_same_queries_for_one_session_or_many() {
    let app = spawn_app().await;
    let admin = app.admin_browser().await;
    let query = "{ liveSessions { total sessions { id videoTitle user { email disabled } } } }";
    let mut extensions = Vec::new();
    let mut statements = Vec::new();
    for sessions in [1, 5] {
        while extensions.len() < sessions {
            let title = format!("Cut {}", extensions.len());
            extensions.push(reviewer_in_session(&app, Some(&title)).await);
        }
        statements.push(super::admin_users::statements_for(&app, admin.user_id, query).await);
    }
    assert_eq!(
        statements[0], statements[1],
        "statements for 1 and 5 sessions"
    );
}

#[tokio::test]
async fn a_user_is_refused_live_sessions_and_their_stream() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    let body = app.graphql(&tokens.token, LIVE, json!({})).await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");

    let mut socket = RawSocket::connect(&app.ws_url(), None).await;
    socket.init(&tokens.token).await;
    socket.subscribe("live", CHANGED, Value::Null).await;
    let refused = socket.next_json().await;
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["payload"][0]["extensions"]["code"], "FORBIDDEN");
}
