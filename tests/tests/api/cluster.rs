//! Two nodes on one PostgreSQL database (issue 15): what one node changes reaches the other's
//! sockets and caches through the `LISTEN/NOTIFY` doorbell, a cut listener connection loses
//! nothing, and a voice session moves to the node its device comes to, or to a live node when
//! its own stops or its lease lapses, with steps of the node that lost it refused. Each node is a whole server (its own pools, caches, buses, listener and
//! notifier) started in this test process. On SQLite there is one node: the tests say they
//! were skipped; the suite's PostgreSQL run (`LOSSY_TEST_DATABASE_URL`) runs them.

use std::time::Duration;

use lossy_api::voice::service::is_live;
use lossy_api::voice::store as sessions;
use lossy_tests::extension::{Extension, heartbeat, reviewer_with, speech_end, speech_start};
use lossy_tests::ws::RawSocket;
use lossy_tests::{TestApp, Tokens, eventually, spawn_app_with, subscribed_socket};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use uuid::Uuid;

const NOTE_EVENTS: &str = "subscription { noteEvents {
    __typename
    ... on NoteCreated { offset note { id text } }
    ... on VideoSummaryUpdated { offset totalCount }
} }";

/// Node A and node B on one database. Flag changes made outside the API are polled for every
/// 5 s by default; the poll is pushed out of the way so that only the doorbell can pass them.
/// Session leases are short, so that a lapsed one is taken over within a second.
async fn two_nodes() -> Option<(TestApp, TestApp)> {
    let a = spawn_app_with(|config| {
        config.node_id = Some("node-a".into());
        config.flag_poll_ms = 600_000;
        config.session_lease_ms = 900;
    })
    .await;
    match a.spawn_node("node-b").await {
        Some(b) => Some((a, b)),
        None => {
            eprintln!("skipped: several nodes need PostgreSQL (LOSSY_TEST_DATABASE_URL)");
            None
        }
    }
}

async fn video(app: &TestApp, token: &str) -> String {
    let body = app
        .graphql(
            token,
            "mutation($input: DetectVideoInput!) { detectVideo(input: $input) { id } }",
            json!({ "input": {
                "url": "https://www.youtube.com/watch?v=clusterVid1",
                "title": "Two nodes",
                "durationSeconds": 600.0,
            } }),
        )
        .await;
    body["data"]["detectVideo"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

async fn create_note(app: &TestApp, token: &str, video: &str, text: &str) {
    try_create_note(&app.url("/graphql"), token, video, text)
        .await
        .expect("the note is made");
}

/// The next `noteEvents` payload on the socket, within a few seconds.
async fn next_event(socket: &mut RawSocket) -> Value {
    let message = tokio::time::timeout(Duration::from_secs(10), socket.next_json())
        .await
        .expect("a note event from the other node within 10 s");
    assert_eq!(message["type"], "next", "{message}");
    message["payload"]["data"]["noteEvents"].clone()
}

#[tokio::test]
async fn a_note_written_on_one_node_reaches_a_subscriber_on_the_other_once_and_in_order() {
    let Some((a, b)) = two_nodes().await else {
        return;
    };
    let (_, tokens) = a.new_user_with_token().await;
    let mut on_b = subscribed_socket(&b, &tokens.token, "events", NOTE_EVENTS).await;
    let video = video(&a, &tokens.token).await;

    for text in ["first cut is too long", "music drowns the voice"] {
        create_note(&a, &tokens.token, &video, text).await;
    }
    let mut seen = Vec::new();
    for _ in 0..4 {
        let event = next_event(&mut on_b).await;
        seen.push((event["__typename"].clone(), event["note"]["text"].clone()));
    }
    assert_eq!(
        seen,
        vec![
            (json!("NoteCreated"), json!("first cut is too long")),
            (json!("VideoSummaryUpdated"), Value::Null),
            (json!("NoteCreated"), json!("music drowns the voice")),
            (json!("VideoSummaryUpdated"), Value::Null),
        ]
    );
    // Nothing twice: node B's own resync or a repeated ring does not send them again.
    on_b.expect_silence(Duration::from_millis(500)).await;

    // And the other way round, on the same stream.
    create_note(&b, &tokens.token, &video, "written on b").await;
    assert_eq!(next_event(&mut on_b).await["note"]["text"], "written on b");
}

#[tokio::test]
async fn a_cut_listener_connection_loses_no_note_event() {
    let Some((a, b)) = two_nodes().await else {
        return;
    };
    let (_, tokens) = a.new_user_with_token().await;
    let mut on_b = subscribed_socket(&b, &tokens.token, "events", NOTE_EVENTS).await;
    let video = video(&a, &tokens.token).await;

    // Every node's listener connection is cut, as by a PostgreSQL restart or a network drop;
    // the notes written meanwhile are rung to nobody.
    let cut = a
        .state
        .db
        .execute_unprepared(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND query LIKE 'LISTEN%'",
        )
        .await
        .expect("terminate the listeners");
    assert!(cut.rows_affected() >= 1, "no listener connection was found");
    for text in ["while b was deaf", "still deaf"] {
        create_note(&a, &tokens.token, &video, text).await;
    }
    let mut texts = Vec::new();
    while texts.len() < 2 {
        let event = next_event(&mut on_b).await;
        if event["__typename"] == "NoteCreated" {
            texts.push(event["note"]["text"].clone());
        }
    }
    assert_eq!(texts, vec![json!("while b was deaf"), json!("still deaf")]);
}

#[tokio::test]
async fn settings_written_on_one_node_reach_the_other_nodes_sockets_and_cache() {
    let Some((a, b)) = two_nodes().await else {
        return;
    };
    let (_, tokens) = a.new_user_with_token().await;
    let settings = "{ settings { cooldownMs version } }";
    // Node B reads (and keeps) the settings before they change.
    let before = b.graphql(&tokens.token, settings, Value::Null).await;
    assert_eq!(before["data"]["settings"]["version"], 1, "{before}");
    let mut on_b = subscribed_socket(
        &b,
        &tokens.token,
        "settings",
        "subscription { settingsChanged { cooldownMs version } }",
    )
    .await;

    let written = a
        .graphql(
            &tokens.token,
            "mutation { updateSettings(input: { cooldownMs: 1234 }) { version } }",
            Value::Null,
        )
        .await;
    assert_eq!(written["data"]["updateSettings"]["version"], 2, "{written}");

    let message = tokio::time::timeout(Duration::from_secs(10), on_b.next_json())
        .await
        .expect("settingsChanged on node B");
    assert_eq!(
        message["payload"]["data"]["settingsChanged"],
        json!({ "cooldownMs": 1234, "version": 2 }),
        "{message}"
    );
    let after = b.graphql(&tokens.token, settings, Value::Null).await;
    assert_eq!(
        after["data"]["settings"],
        json!({ "cooldownMs": 1234, "version": 2 })
    );
}

#[tokio::test]
async fn a_flag_changed_on_one_node_is_in_force_on_the_other_at_once() {
    let Some((a, b)) = two_nodes().await else {
        return;
    };
    let admin = a.admin_token().await;
    let (_, tokens) = a.new_user_with_token().await;
    let flag = "server_telemetry";
    let features = "{ features }";
    let on = |body: &Value| body["data"]["features"][flag].as_bool();
    // Node B evaluates (and keeps) the user's flags first.
    let before = on(&b.graphql(&tokens.token, features, Value::Null).await);
    let mut on_b = subscribed_socket(
        &b,
        &tokens.token,
        "features",
        "subscription { featuresChanged }",
    )
    .await;

    let wanted = !before.expect("the flag is listed");
    let set = a
        .graphql(
            &admin,
            "mutation($input: SetFeatureFlagInput!) { setFeatureFlag(input: $input) { name } }",
            json!({ "input": { "name": flag, "defaultEnabled": wanted, "rolloutPercent": 0 } }),
        )
        .await;
    assert!(set["errors"].is_null(), "{set}");

    let message = tokio::time::timeout(Duration::from_secs(10), on_b.next_json())
        .await
        .expect("featuresChanged on node B well before the 10-minute poll");
    assert_eq!(
        message["payload"]["data"]["featuresChanged"][flag],
        json!(wanted),
        "{message}"
    );
    let after = b.graphql(&tokens.token, features, Value::Null).await;
    assert_eq!(on(&after), Some(wanted), "node B's cache was emptied");
}

#[tokio::test]
async fn a_device_revoked_on_one_node_loses_its_socket_on_the_other() {
    let Some((a, b)) = two_nodes().await else {
        return;
    };
    let (_, tokens) = a.new_user_with_token().await;
    let mut on_b = RawSocket::connect(&b.ws_url(), None).await;
    on_b.init(&tokens.token).await;

    let revoked = a
        .graphql(
            &tokens.token,
            "mutation($id: ID!) { revokeDevice(id: $id) { revokedAt } }",
            json!({ "id": tokens.device_id }),
        )
        .await;
    assert!(revoked["errors"].is_null(), "{revoked}");
    let reason = tokio::time::timeout(Duration::from_secs(10), on_b.expect_close(4403))
        .await
        .expect("node B closes the revoked device's socket");
    assert_eq!(reason, "device revoked");
}

const RESUME: &str = "mutation($input: ResumeVoiceSessionInput!) { \
    resumeVoiceSession(input: $input) { outcome state appliedSeq } }";
const SHORT_TIMERS: &str = "cooldownMs: 150, mergeWithinMs: 50, autoResumeDelayMs: 200";

/// The session's row: which node holds it, under which epoch, and its state.
async fn holder(app: &TestApp, session: &str) -> (Option<String>, i64, String) {
    let row = sessions::find(&app.state.db, session.parse().unwrap())
        .await
        .unwrap()
        .expect("the session's row");
    (row.node, row.epoch, row.state)
}

async fn resume(extension: &mut Extension, session: &str, events: Vec<Value>) -> Value {
    let answer = extension
        .call(
            RESUME,
            json!({ "input": { "sessionId": session, "events": events } }),
        )
        .await;
    answer["data"]["resumeVoiceSession"].clone()
}

/// A reviewer with short voice timers whose device started a session on node A.
struct StartedOnA {
    tokens: Tokens,
    device: Extension,
    session: String,
    id: Uuid,
}

async fn started_on_a(a: &TestApp) -> StartedOnA {
    let tokens = reviewer_with(a, SHORT_TIMERS).await;
    let mut device = Extension::connect(a, &tokens).await;
    let session = device.start().await;
    let id = session.parse().expect("a session id is a uuid");
    StartedOnA {
        tokens,
        device,
        session,
        id,
    }
}

#[tokio::test]
async fn a_session_moves_to_the_node_its_device_reconnects_to_and_resumes_with_replay() {
    let Some((a, b)) = two_nodes().await else {
        return;
    };
    let StartedOnA {
        tokens,
        device: mut on_a,
        session,
        id,
    } = started_on_a(&a).await;
    on_a.event(speech_start(&session, 1, "u1")).await;
    assert_eq!(holder(&a, &session).await.0.as_deref(), Some("node-a"));

    // The device's connection drops; the load balancer sends the new one to node B, which
    // gets the replay of what node A had not acknowledged.
    on_a.socket.close().await;
    let mut on_b = Extension::connect(&b, &tokens).await;
    let resumed = resume(
        &mut on_b,
        &session,
        vec![
            speech_start(&session, 1, "u1"),
            speech_end(&session, 2, "u1", 1500),
            heartbeat(&session, 3),
        ],
    )
    .await;
    assert_eq!(resumed["outcome"], "APPLIED", "{resumed}");
    assert_eq!(resumed["appliedSeq"], 3);
    let (node, epoch, _) = holder(&b, &session).await;
    assert_eq!((node.as_deref(), epoch), (Some("node-b"), 2));
    assert!(is_live(&b.state, id));
    assert!(
        eventually(Duration::from_secs(5), || async { !is_live(&a.state, id) }).await,
        "node A let the session go"
    );
    let ack = on_b.event(heartbeat(&session, 4)).await;
    assert_eq!(ack["outcome"], "APPLIED", "{ack}");

    // A step node A would write under its old epoch is refused: it cannot undo B's.
    let row = sessions::find(&a.state.db, id).await.unwrap().unwrap();
    let machine = sessions::machine_of(&row).unwrap();
    let stale = sessions::StepRecord {
        machine: &machine,
        seq: None,
        transitions: &[],
        command: None,
        at: chrono::Utc::now(),
        epoch: 1,
    };
    let refused = sessions::save_step(&a.state.db, id, stale)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "SESSION_MOVED");
    assert_eq!(holder(&b, &session).await.1, 2, "nothing was written");

    // The device comes back to node A: the session follows it again, and B lets go.
    on_b.socket.close().await;
    let mut back_on_a = Extension::connect(&a, &tokens).await;
    let resumed = resume(&mut back_on_a, &session, vec![heartbeat(&session, 5)]).await;
    assert_eq!(resumed["outcome"], "APPLIED", "{resumed}");
    assert_eq!(resumed["appliedSeq"], 5);
    let (node, epoch, _) = holder(&a, &session).await;
    assert_eq!((node.as_deref(), epoch), (Some("node-a"), 3));
    assert!(
        eventually(Duration::from_secs(5), || async { !is_live(&b.state, id) }).await,
        "node B let the session go"
    );
}

#[tokio::test]
async fn a_stopping_node_hands_its_sessions_to_a_live_one() {
    let Some((a, b)) = two_nodes().await else {
        return;
    };
    let StartedOnA {
        tokens,
        device: mut on_a,
        session,
        id,
    } = started_on_a(&a).await;
    on_a.event(speech_start(&session, 1, "u1")).await;

    // Ctrl-C on node A: its sockets close and it lets go of its sessions, which node B takes
    // over (in `disconnected`) without waiting for a lease to lapse.
    a.shutdown().await;
    assert!(
        eventually(Duration::from_secs(5), || async { is_live(&b.state, id) }).await,
        "node B took the session over"
    );
    let (node, epoch, state) = holder(&b, &session).await;
    assert_eq!((node.as_deref(), epoch), (Some("node-b"), 2));
    assert_eq!(state, "disconnected");
    let mut on_b = Extension::connect(&b, &tokens).await;
    let resumed = resume(
        &mut on_b,
        &session,
        vec![speech_end(&session, 2, "u1", 1500)],
    )
    .await;
    assert_eq!(resumed["outcome"], "APPLIED", "{resumed}");
    assert_eq!(resumed["state"], "COOLDOWN");
}

#[tokio::test]
async fn the_session_of_a_node_that_stopped_renewing_its_lease_is_taken_over() {
    let Some((a, b)) = two_nodes().await else {
        return;
    };
    // The device stays connected, so the session stays live on node A.
    let StartedOnA {
        device: _on_a,
        session,
        id,
        ..
    } = started_on_a(&a).await;
    // Held by a node that died (edited by hand into the row): its lease lapsed a minute ago.
    // Node A forgets it, as a dead node would.
    a.state
        .db
        .execute_unprepared(&format!(
            "UPDATE voice_sessions SET node = 'ghost', lease_until = now() - interval '1 minute' \
             WHERE id = '{id}'"
        ))
        .await
        .unwrap();
    a.state.voice.moved_away(id);
    assert!(
        eventually(Duration::from_secs(5), || async {
            is_live(&a.state, id) || is_live(&b.state, id)
        })
        .await,
        "a live node took the lapsed session over"
    );
    let (node, epoch, _) = holder(&a, &session).await;
    assert!(
        matches!(node.as_deref(), Some("node-a" | "node-b")),
        "{node:?}"
    );
    assert_eq!(epoch, 2, "claimed once");
}

#[tokio::test]
async fn of_two_nodes_claiming_one_session_at_once_exactly_one_wins() {
    let Some((a, b)) = two_nodes().await else {
        return;
    };
    // The device stays connected, so the session stays live on node A.
    let StartedOnA {
        device: _on_a,
        session,
        id,
        ..
    } = started_on_a(&a).await;
    let (_, epoch, _) = holder(&a, &session).await;

    // Both nodes read the row at the same epoch and claim it with force (as for a device that
    // came to each), several times each, all at once, each over its own node's pool.
    let now = chrono::Utc::now();
    let until = now + chrono::Duration::seconds(10);
    let claims: Vec<_> = (0..8)
        .map(|i| {
            let (db, node) = if i % 2 == 0 {
                (a.state.db.clone(), "node-a")
            } else {
                (b.state.db.clone(), "node-b")
            };
            tokio::spawn(async move {
                let lease = sessions::Lease { node, until };
                let claimed = sessions::claim(&db, id, epoch, lease, now, true).await;
                claimed.expect("a claim answers").map(|epoch| (node, epoch))
            })
        })
        .collect();
    let mut won = Vec::new();
    for claim in claims {
        won.extend(claim.await.expect("claim task"));
    }
    assert_eq!(won.len(), 1, "claims that won: {won:?}");
    let (winner, new_epoch) = won[0];
    assert_eq!(new_epoch, epoch + 1);
    let (node, stored_epoch, _) = holder(&a, &session).await;
    assert_eq!(
        (node.as_deref(), stored_epoch),
        (Some(winner), epoch + 1),
        "the row names the one winner, claimed once"
    );
}

/// Asks the node at `graphql_url` for a note; answers its id, or `None` when the database was
/// away and the server said so (a clear error, with a code).
async fn try_create_note(
    graphql_url: &str,
    token: &str,
    video: &str,
    text: &str,
) -> Option<String> {
    let (_, body) = lossy_tests::post_graphql(
        graphql_url,
        token,
        "mutation($input: CreateNoteInput!) { createNote(input: $input) { id } }",
        json!({ "input": {
            "videoId": video, "text": text, "timestampSeconds": 3.0, "category": "AUDIO"
        } }),
    )
    .await;
    if let Some(id) = body["data"]["createNote"]["id"].as_str() {
        return Some(id.to_owned());
    }
    let code = &body["errors"][0]["extensions"]["code"];
    assert!(
        code.is_string(),
        "a failed write says why, with a code: {body}"
    );
    eprintln!("no note for {text:?}: {body}");
    None
}

#[tokio::test]
async fn every_connection_cut_under_load_as_by_a_postgres_restart_loses_and_repeats_nothing() {
    let Some((a, b)) = two_nodes().await else {
        return;
    };
    let (_, tokens) = a.new_user_with_token().await;
    let mut on_b = subscribed_socket(&b, &tokens.token, "events", NOTE_EVENTS).await;
    let video = video(&a, &tokens.token).await;

    // Notes are written on node A one after another while every connection both nodes hold
    // (pools, listeners, notifiers) is cut twice, as a PostgreSQL restart cuts them.
    let writer = {
        let (a_url, token, video) = (a.url("/graphql"), tokens.token.clone(), video.clone());
        tokio::spawn(async move {
            let mut answered = Vec::new();
            for n in 0..60 {
                let text = format!("note {n} under a restart");
                answered.extend(try_create_note(&a_url, &token, &video, &text).await);
                tokio::time::sleep(Duration::from_millis(15)).await;
            }
            answered
        })
    };
    for round in 0..2 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let cut = a
            .state
            .db
            .execute_unprepared(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )
            .await
            .expect("cut the connections");
        // The first time both nodes' listeners and the writer's connection at least; the
        // second, whatever had come back by then.
        let least = if round == 0 { 3 } else { 1 };
        assert!(
            cut.rows_affected() >= least,
            "cut {} connections",
            cut.rows_affected()
        );
    }
    let answered = writer.await.expect("writer");
    eprintln!("{} of 60 writes answered with a note", answered.len());
    // Once the database is back, a write goes through again.
    let a_url = a.url("/graphql");
    let last = eventually_some(|| try_create_note(&a_url, &tokens.token, &video, "after")).await;

    // Node B's stream carries every note the database holds, each once, in order: those the
    // writer was told were made, and any whose answer the cut took.
    let stored: Vec<String> = {
        use lossy_entities::notes;
        use sea_orm::{EntityTrait, QueryOrder};
        notes::Entity::find()
            .order_by_asc(notes::Column::CreatedAt)
            .all(&b.state.db)
            .await
            .expect("read the notes")
            .into_iter()
            .map(|note| note.id.to_string())
            .collect()
    };
    for id in answered.iter().chain([&last]) {
        assert!(
            stored.contains(id),
            "note {id} was answered but is not stored"
        );
    }
    let mut streamed: Vec<String> = Vec::new();
    let mut order: Vec<u32> = Vec::new();
    while streamed.len() < stored.len() {
        let event = next_event(&mut on_b).await;
        if event["__typename"] == "NoteCreated" {
            streamed.push(event["note"]["id"].as_str().expect("note id").to_owned());
            let text = event["note"]["text"].as_str().unwrap_or_default();
            // "note N under a restart", then "after" last.
            order.push(
                text.split(' ')
                    .nth(1)
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(u32::MAX),
            );
        }
    }
    assert!(
        order.is_sorted(),
        "node B's stream is out of order: {order:?}"
    );
    // The last note's summary, then nothing more.
    let summary = next_event(&mut on_b).await;
    assert_eq!(summary["__typename"], "VideoSummaryUpdated", "{summary}");
    assert_eq!(summary["totalCount"], stored.len(), "{summary}");
    let mut unique = streamed.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), streamed.len(), "a note reached node B twice");
    let mut sorted_stored = stored.clone();
    sorted_stored.sort();
    assert_eq!(
        unique, sorted_stored,
        "node B's stream is the database's notes"
    );
    on_b.expect_silence(Duration::from_millis(500)).await;
}

/// Retries `attempt` until it answers something, for up to 10 s.
async fn eventually_some<T, F, Fut>(mut attempt: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(value) = attempt().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the database did not come back within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
