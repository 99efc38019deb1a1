//! The socket table of PROTOCOL.md section 3, frame by frame with a raw client, plus a happy
//! path with the `graphql-ws-client` library.

use std::time::Duration;

use lossy_tests::ws::{Frame, RawSocket};
use lossy_tests::{TestApp, denied, spawn_app, spawn_app_with};
use serde_json::{Value, json};

const SETTINGS_CHANGED: &str = "subscription { settingsChanged { cooldownMs version } }";
const UPDATE_COOLDOWN: &str =
    "mutation($ms: Int!) { updateSettings(input: { cooldownMs: $ms }) { cooldownMs version } }";

/// A signed-in user's device token and an acknowledged socket for it.
async fn acked_socket(app: &TestApp) -> (RawSocket, String) {
    let (_, tokens) = app.new_user_with_token().await;
    let mut socket = RawSocket::connect(&app.ws_url(), None).await;
    socket.init(&tokens.token).await;
    (socket, tokens.token)
}

/// Opens a socket, sends `connection_init` with `token` and asserts the server closes it with
/// `code`.
async fn join_is_closed(app: &TestApp, token: &str, code: u16) {
    let mut socket = RawSocket::connect(&app.ws_url(), None).await;
    socket.send_init(json!({ "token": token })).await;
    socket.expect_close(code).await;
}

#[tokio::test]
async fn no_connection_init_in_time_closes_4408() {
    let app = spawn_app_with(|c| c.ws_init_timeout_ms = 200).await;
    let mut socket = RawSocket::connect(&app.ws_url(), None).await;
    let reason = socket.expect_close(4408).await;
    assert!(reason.contains("initialisation timeout"), "{reason}");
}

#[tokio::test]
async fn a_ping_before_init_does_not_stop_the_timeout() {
    let app = spawn_app_with(|c| c.ws_init_timeout_ms = 300).await;
    let mut socket = RawSocket::connect(&app.ws_url(), None).await;
    socket.send(json!({ "type": "ping" })).await;
    assert_eq!(socket.next_json().await, json!({ "type": "pong" }));
    socket.expect_close(4408).await;
}

#[tokio::test]
async fn a_forged_token_closes_4403_and_is_audited() {
    let app = spawn_app().await;
    join_is_closed(&app, "not.a.jwt", 4403).await;
    assert_eq!(app.audit("ws_join").await, vec![denied("malformed")]);
}

#[tokio::test]
async fn no_credentials_close_4403() {
    let app = spawn_app().await;
    let mut socket = RawSocket::connect(&app.ws_url(), None).await;
    socket.send(json!({ "type": "connection_init" })).await;
    socket.expect_close(4403).await;
    assert_eq!(app.audit("ws_join").await, vec![denied("no_credentials")]);
}

#[tokio::test]
async fn an_expired_token_closes_4403() {
    let app = spawn_app().await;
    let (browser, tokens) = app.new_user_with_token().await;
    let an_hour_ago = chrono::Utc::now() - chrono::Duration::hours(1);
    let expired = app.mint_token(browser.user_id, tokens.device_id, an_hour_ago);
    join_is_closed(&app, &expired, 4403).await;
    assert_eq!(app.audit("ws_join").await, vec![denied("expired")]);
}

#[tokio::test]
async fn a_revoked_device_closes_4403_at_join_and_while_connected() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    let mut open = RawSocket::connect(&app.ws_url(), None).await;
    open.init(&tokens.token).await;

    let revoked = app
        .graphql(
            &tokens.token,
            "mutation($id: ID!) { revokeDevice(id: $id) { id revokedAt } }",
            json!({ "id": tokens.device_id }),
        )
        .await;
    assert!(
        revoked["data"]["revokeDevice"]["revokedAt"].is_string(),
        "{revoked}"
    );
    let reason = open.expect_close(4403).await;
    assert_eq!(reason, "device revoked");

    join_is_closed(&app, &tokens.token, 4403).await;
    assert!(app.audit("ws_join").await.contains(&denied("revoked")));
}

#[tokio::test]
async fn a_second_connection_init_closes_4429() {
    let app = spawn_app().await;
    let (mut socket, token) = acked_socket(&app).await;
    socket.send_init(json!({ "token": token })).await;
    socket.expect_close(4429).await;
}

#[tokio::test]
async fn subscribe_before_ack_closes_4401() {
    let app = spawn_app().await;
    let mut socket = RawSocket::connect(&app.ws_url(), None).await;
    socket.subscribe("1", "{ __typename }", Value::Null).await;
    socket.expect_close(4401).await;
}

#[tokio::test]
async fn a_duplicate_operation_id_closes_4409() {
    let app = spawn_app().await;
    let (mut socket, _) = acked_socket(&app).await;
    socket
        .subscribe("same", SETTINGS_CHANGED, Value::Null)
        .await;
    socket
        .subscribe("same", SETTINGS_CHANGED, Value::Null)
        .await;
    let reason = socket.expect_close(4409).await;
    assert_eq!(reason, "Subscriber for same already exists");
}

#[tokio::test]
async fn malformed_messages_close_4400() {
    let app = spawn_app().await;
    for bad in [
        "this is not json",
        r#"{"type":"launch"}"#,
        r#"{"type":"subscribe","payload":{"query":"{ __typename }"}}"#,
        r#"[{"type":"ping"}]"#,
        r#"{"type":"connection_init","payload":"token"}"#,
    ] {
        let mut socket = RawSocket::connect(&app.ws_url(), None).await;
        socket.send_text(bad).await;
        let reason = socket.expect_close(4400).await;
        assert!(!reason.is_empty(), "{bad} should be explained");
    }
}

#[tokio::test]
async fn ping_is_answered_with_pong_and_the_same_payload() {
    let app = spawn_app().await;
    let (mut socket, _) = acked_socket(&app).await;
    socket
        .send(json!({ "type": "ping", "payload": { "at": 42 } }))
        .await;
    assert_eq!(
        socket.next_json().await,
        json!({ "type": "pong", "payload": { "at": 42 } })
    );
    socket.send(json!({ "type": "pong" })).await;
    socket.expect_silence(Duration::from_millis(200)).await;
}

#[tokio::test]
async fn the_token_expiring_on_an_open_socket_closes_4403() {
    let app = spawn_app_with(|c| c.token_ttl_secs = 1).await;
    let (mut socket, _) = acked_socket(&app).await;
    match socket.next_frame_within(Duration::from_secs(4)).await {
        Some(Frame::Closed { code, reason }) => {
            assert_eq!(code, 4403);
            assert_eq!(reason, "token expired");
        }
        other => panic!("expected 4403 at token expiry, got {other:?}"),
    }
}

#[tokio::test]
async fn the_operation_cap_refuses_the_extra_operation_only() {
    let app = spawn_app_with(|c| c.ws_max_operations = 2).await;
    let (mut socket, _) = acked_socket(&app).await;
    socket.subscribe("a", SETTINGS_CHANGED, Value::Null).await;
    socket.subscribe("b", SETTINGS_CHANGED, Value::Null).await;
    socket.subscribe("c", SETTINGS_CHANGED, Value::Null).await;
    let refused = socket.next_json().await;
    assert_eq!(refused["type"], "error");
    assert_eq!(refused["id"], "c");
    assert_eq!(refused["payload"][0]["extensions"]["code"], "RATE_LIMITED");

    // Completed operations do not count, and their ids may be used again.
    socket.send(json!({ "type": "complete", "id": "a" })).await;
    socket.subscribe("a", "{ __typename }", Value::Null).await;
    let next = socket.next_json().await;
    assert_eq!(
        next,
        json!({ "type": "next", "id": "a", "payload": { "data": { "__typename": "Query" } } })
    );
    assert_eq!(
        socket.next_json().await,
        json!({ "type": "complete", "id": "a" })
    );
}

#[tokio::test]
async fn an_oversized_frame_closes_1009() {
    let app = spawn_app_with(|c| c.ws_max_message_bytes = 1024).await;
    let (mut socket, _) = acked_socket(&app).await;
    let query = format!("{{ __typename }} # {}", "x".repeat(4096));
    socket.subscribe("big", &query, Value::Null).await;
    socket.expect_close(1009).await;
}

/// Sockets read in small chunks (to keep idle sockets small, issue 15); a message many times
/// that size, under the cap, still arrives whole, and so does its answer.
#[tokio::test]
async fn a_message_far_larger_than_the_read_buffer_is_read_whole() {
    let app = spawn_app().await;
    let (mut socket, _) = acked_socket(&app).await;
    let padding = "é".repeat(60 * 1024);
    // (A cut message would not parse as JSON, and the socket would close with 4400.)
    let query = "query($pad: String!) { __typename __type(name: $pad) { name } }";
    socket
        .subscribe("big", query, json!({ "pad": padding }))
        .await;
    assert_eq!(
        socket.next_json().await,
        json!({ "type": "next", "id": "big", "payload": { "data": { "__typename": "Query", "__type": null } } })
    );
}

#[tokio::test]
async fn binary_frames_close_4400() {
    let app = spawn_app().await;
    let (mut socket, _) = acked_socket(&app).await;
    socket.send_binary(vec![1, 2, 3]).await;
    socket.expect_close(4400).await;
}

#[tokio::test]
async fn origins_outside_the_allow_list_cannot_open_sockets() {
    let app =
        spawn_app_with(|c| c.allowed_origins = vec!["chrome-extension://lossyextensionid".into()])
            .await;
    let refused = RawSocket::try_connect(
        &app.ws_url(),
        Some("https://evil.example"),
        Some("graphql-transport-ws"),
    )
    .await;
    assert!(refused.is_err(), "a foreign origin must not get a socket");
    assert_eq!(
        app.audit("origin_check").await,
        vec![denied("origin_not_allowed")]
    );

    let (_, tokens) = app.new_user_with_token().await;
    for origin in [
        Some("chrome-extension://lossyextensionid"),
        Some(app.origin().as_str()),
        None,
    ] {
        let mut socket = RawSocket::connect(&app.ws_url(), origin).await;
        socket.init(&tokens.token).await;
    }
}

#[tokio::test]
async fn a_socket_without_the_subprotocol_closes_4406() {
    let app = spawn_app().await;
    let mut socket = RawSocket::try_connect(&app.ws_url(), None, None)
        .await
        .expect("upgrade");
    socket.expect_close(4406).await;
}

#[tokio::test]
async fn the_dashboard_socket_authenticates_with_its_session_cookie() {
    let app = spawn_app().await;
    let browser = app.new_browser().await;
    let cookie = browser.session_cookie(&app);
    let mut socket = RawSocket::connect_with_cookie(&app.ws_url(), &app.origin(), &cookie).await;
    socket.send(json!({ "type": "connection_init" })).await;
    assert_eq!(socket.next_json().await["type"], "connection_ack");

    // The same cookie from a socket that sends no Origin is not a browser and needs a token.
    let mut headless = RawSocket::connect_with_cookie(&app.ws_url(), "", &cookie).await;
    headless.send(json!({ "type": "connection_init" })).await;
    headless.expect_close(4403).await;
}

#[tokio::test]
async fn join_rate_limit_per_device_closes_4429_and_is_audited() {
    let app = spawn_app_with(|c| c.join_rate_per_device = 2).await;
    let (browser, tokens) = app.new_user_with_token().await;
    for _ in 0..2 {
        let mut socket = RawSocket::connect(&app.ws_url(), None).await;
        socket.init(&tokens.token).await;
    }
    join_is_closed(&app, &tokens.token, 4429).await;

    // Another device of the same user is not affected.
    let other = app.extension_token(&browser).await;
    RawSocket::connect(&app.ws_url(), None)
        .await
        .init(&other.token)
        .await;

    let rows = app.audit("ws_join").await;
    let limited: Vec<_> = rows
        .iter()
        .filter(|(_, reason)| reason == "rate_limited_device")
        .collect();
    assert_eq!(limited.len(), 1, "{rows:?}");
    assert_eq!(limited[0].0, "denied");
    assert_eq!(
        rows.iter()
            .filter(|(outcome, _)| outcome == "success")
            .count(),
        3
    );
}

#[tokio::test]
async fn join_rate_limit_per_address_closes_4429() {
    let app = spawn_app_with(|c| c.join_rate_per_address = 1).await;
    let (_first, token) = acked_socket(&app).await;
    join_is_closed(&app, &token, 4429).await;
    assert!(
        app.audit("ws_join")
            .await
            .contains(&denied("rate_limited_address"))
    );
}

#[tokio::test]
async fn queries_answer_next_then_complete_and_errors_carry_codes() {
    let app = spawn_app().await;
    let (mut socket, _) = acked_socket(&app).await;
    socket.subscribe("q", "{ me { email } }", Value::Null).await;
    let next = socket.next_json().await;
    assert_eq!(next["type"], "next");
    assert!(next["payload"]["data"]["me"]["email"].is_string());
    assert_eq!(
        socket.next_json().await,
        json!({ "type": "complete", "id": "q" })
    );

    socket.subscribe("v", "{ noSuchField }", Value::Null).await;
    let error = socket.next_json().await;
    assert_eq!(error["type"], "error");
    assert_eq!(error["id"], "v");
    assert_eq!(
        error["payload"][0]["extensions"]["code"],
        "GRAPHQL_VALIDATION_FAILED"
    );
}

#[tokio::test]
async fn a_subscription_is_in_place_before_the_next_operation_on_the_socket_runs() {
    let app = spawn_app().await;
    let (mut socket, _) = acked_socket(&app).await;
    // Sent back to back, without waiting: the mutation must not overtake the subscription.
    socket
        .subscribe("watch", SETTINGS_CHANGED, Value::Null)
        .await;
    socket
        .subscribe("write", UPDATE_COOLDOWN, json!({ "ms": 640 }))
        .await;
    let mut seen_event = false;
    let mut seen_result = false;
    while !(seen_event && seen_result) {
        let message = socket.next_json().await;
        match (message["type"].as_str(), message["id"].as_str()) {
            (Some("next"), Some("watch")) => {
                assert_eq!(
                    message["payload"]["data"]["settingsChanged"]["cooldownMs"],
                    640
                );
                seen_event = true;
            }
            (Some("next"), Some("write")) => seen_result = true,
            (Some("complete"), Some("write")) => {}
            _ => panic!("unexpected {message}"),
        }
    }
}

#[tokio::test]
async fn mutations_on_one_socket_run_in_the_order_sent() {
    let app = spawn_app().await;
    let (mut socket, _) = acked_socket(&app).await;
    for (i, ms) in [610, 620, 630, 640, 650].into_iter().enumerate() {
        socket
            .subscribe(&format!("m{i}"), UPDATE_COOLDOWN, json!({ "ms": ms }))
            .await;
    }
    let mut versions = Vec::new();
    while versions.len() < 5 {
        let message = socket.next_json().await;
        if message["type"] == "next" {
            let settings = &message["payload"]["data"]["updateSettings"];
            versions.push((
                settings["version"].as_i64().unwrap(),
                settings["cooldownMs"].as_i64().unwrap(),
            ));
        }
    }
    versions.sort();
    let cooldowns: Vec<i64> = versions.iter().map(|(_, ms)| *ms).collect();
    assert_eq!(
        cooldowns,
        vec![610, 620, 630, 640, 650],
        "writes applied out of order"
    );
}

#[tokio::test]
async fn shutdown_closes_open_sockets_with_1001() {
    let app = spawn_app().await;
    let (mut socket, _) = acked_socket(&app).await;
    let stopping = tokio::spawn(app.shutdown());
    let reason = socket.expect_close(1001).await;
    assert_eq!(reason, "server shutting down");
    stopping.await.expect("server stopped");
}

/// A `graphql-ws-client` operation: any query text, answering raw JSON.
#[derive(serde::Serialize)]
struct Operation {
    query: &'static str,
    variables: Value,
}

impl graphql_ws_client::graphql::GraphqlOperation for Operation {
    type Response = Value;
    type Error = serde_json::Error;

    fn decode(&self, data: Value) -> Result<Value, serde_json::Error> {
        Ok(data)
    }
}

#[tokio::test]
async fn graphql_ws_client_library_round_trip() {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;

    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;

    let mut request = app.ws_url().into_client_request().unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (connection, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connect");
    let (client, actor) = graphql_ws_client::Client::build(connection)
        .payload(json!({ "token": tokens.token, "requestedVersion": 2, "client": { "name": "test", "version": "0" } }))
        .unwrap()
        .await
        .expect("connection_ack");
    tokio::spawn(actor.into_future());

    let mut changes = client
        .subscribe(Operation {
            query: SETTINGS_CHANGED,
            variables: Value::Null,
        })
        .await
        .expect("subscribe");
    // The library does not wait for registration; give the server a moment before writing.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let written = app
        .graphql(&tokens.token, UPDATE_COOLDOWN, json!({ "ms": 900 }))
        .await;
    assert_eq!(
        written["data"]["updateSettings"]["cooldownMs"], 900,
        "{written}"
    );
    let event = tokio::time::timeout(Duration::from_secs(5), changes.next())
        .await
        .expect("event in time")
        .expect("stream open")
        .expect("decoded");
    assert_eq!(event["data"]["settingsChanged"]["cooldownMs"], 900);
}

use std::future::IntoFuture as _;

/// The answer to one operation: its messages up to and including the last one for it.
async fn answer(socket: &mut RawSocket, id: &str, query: &str, variables: Value) -> Vec<Value> {
    socket.subscribe(id, query, variables).await;
    let mut messages = Vec::new();
    loop {
        let message = socket.next_json().await;
        assert_eq!(message["id"], id, "{message}");
        let last = message["type"] != "next";
        messages.push(message);
        if last {
            return messages;
        }
    }
}

#[tokio::test]
async fn an_operation_that_fails_while_executing_answers_next_then_complete() {
    let app = spawn_app().await;
    let (mut socket, _) = acked_socket(&app).await;

    // Executed, and a field refused its input: the errors come in `next`, then `complete`.
    let refused = answer(
        &mut socket,
        "bad-input",
        UPDATE_COOLDOWN,
        json!({ "ms": -5 }),
    )
    .await;
    let kinds: Vec<&str> = refused
        .iter()
        .map(|m| m["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["next", "complete"], "{refused:?}");
    let errors = &refused[0]["payload"]["errors"];
    assert_eq!(
        errors[0]["extensions"]["code"], "BAD_USER_INPUT",
        "{errors}"
    );
    assert_eq!(errors[0]["path"], json!(["updateSettings"]));
    assert!(refused[0]["payload"]["data"].is_null());

    // Never executed: a document that does not parse, one that does not validate, and one
    // over the depth limit each answer a single `error`.
    let too_deep = format!(
        "{{ __schema {{ types {{ fields {{ type {} {{ name }}{} }} }} }} }}",
        " { ofType".repeat(9),
        " }".repeat(9)
    );
    for (id, query) in [
        ("parse", "{ me { id "),
        ("validate", "{ me { noSuchField } }"),
        ("limits", too_deep.as_str()),
    ] {
        let failed = answer(&mut socket, id, query, Value::Null).await;
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert_eq!(failed[0]["type"], "error", "{failed:?}");
        assert!(
            failed[0]["payload"][0]["extensions"]["code"].is_string(),
            "{failed:?}"
        );
        assert!(failed[0]["payload"][0]["path"].is_null(), "{failed:?}");
    }

    let limit = answer(&mut socket, "limit", &too_deep, Value::Null).await;
    let message = limit[0]["payload"][0]["message"].as_str().unwrap();
    assert!(message.contains("nested too deep"), "{message}");

    // The socket carries on.
    let fine = answer(&mut socket, "fine", "{ __typename }", Value::Null).await;
    assert_eq!(fine[0]["payload"]["data"]["__typename"], "Query");
}
