//! The handshake (PROTOCOL.md sections 3 and 4): the `connection_ack` payload, the
//! `handshake(requestedVersion:)` query, and version negotiation with the
//! `server_voice_session` flag.

use chrono::{DateTime, Utc};
use lossy_tests::ws::RawSocket;
use lossy_tests::{TestApp, all_flags_on, assert_bad_user_input, protocol_defaults, spawn_app};
use serde_json::{Value, json};

const HANDSHAKE: &str = "query($v: Int!) { handshake(requestedVersion: $v) { protocol { supportedVersions activeVersion } features config serverTime } }";

/// Asserts `value` is an RFC 3339 instant within a few seconds of now.
fn assert_now(value: &Value) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"));
    let at = DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|err| panic!("{text} is not RFC 3339: {err}"))
        .with_timezone(&Utc);
    let skew = (Utc::now() - at).num_seconds().abs();
    assert!(skew <= 5, "serverTime {text} is {skew} s off");
}

async fn handshake(app: &TestApp, token: &str, requested: i32) -> Value {
    app.graphql(token, HANDSHAKE, json!({ "v": requested }))
        .await
}

async fn ack_for(app: &TestApp, init_payload: Value) -> Value {
    let mut socket = RawSocket::connect(&app.ws_url(), None).await;
    socket.send_init(init_payload).await;
    let ack = socket.next_json().await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    ack["payload"].clone()
}

/// Turns `server_voice_session` off for this user only, through the admin API.
async fn voice_session_off_for(app: &TestApp, user_id: uuid::Uuid) {
    let admin = app.admin_token().await;
    let answer = app
        .graphql(
            &admin,
            "mutation($input: SetFeatureFlagOverrideInput!) { setFeatureFlagOverride(input: $input) { name } }",
            json!({ "input": { "name": "server_voice_session", "userId": user_id, "enabled": false } }),
        )
        .await;
    assert!(answer["errors"].is_null(), "{answer}");
}

#[tokio::test]
async fn the_connection_ack_carries_the_handshake() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    let mut socket = RawSocket::connect(&app.ws_url(), None).await;
    let payload = socket.init(&tokens.token).await;

    let mut keys: Vec<&str> = payload
        .as_object()
        .unwrap_or_else(|| panic!("payload is an object: {payload}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, vec!["config", "features", "protocol", "serverTime"]);
    assert_eq!(
        payload["protocol"],
        json!({ "supportedVersions": [1, 2], "activeVersion": 2 })
    );
    assert_eq!(payload["features"], all_flags_on());
    assert_eq!(payload["config"], protocol_defaults());
    assert_now(&payload["serverTime"]);
}

#[tokio::test]
async fn the_handshake_query_answers_the_same_as_the_ack() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    let body = handshake(&app, &tokens.token, 2).await;
    let query = &body["data"]["handshake"];
    assert_now(&query["serverTime"]);

    let ack = ack_for(
        &app,
        json!({ "token": tokens.token, "requestedVersion": 2 }),
    )
    .await;
    for part in ["protocol", "features", "config"] {
        assert_eq!(query[part], ack[part], "{part} differs: {body} vs {ack}");
    }
}

#[tokio::test]
async fn the_active_version_is_the_highest_both_sides_speak() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    for (requested, active) in [(1, 1), (2, 2), (3, 2), (99, 2)] {
        let body = handshake(&app, &tokens.token, requested).await;
        assert_eq!(
            body["data"]["handshake"]["protocol"],
            json!({ "supportedVersions": [1, 2], "activeVersion": active }),
            "requested {requested}: {body}"
        );
    }
}

#[tokio::test]
async fn a_requested_version_below_1_is_bad_input() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    for requested in [0, -1] {
        let body = handshake(&app, &tokens.token, requested).await;
        assert_bad_user_input(&body, "requestedVersion", requested);
        assert!(body["data"].is_null(), "{body}");
    }
}

#[tokio::test]
async fn the_voice_flag_off_means_version_1_everywhere() {
    let app = spawn_app().await;
    let (user, tokens) = app.new_user_with_token().await;
    let (_, bystander) = app.new_user_with_token().await;
    voice_session_off_for(&app, user.user_id).await;

    for requested in [1, 2, 3] {
        let body = handshake(&app, &tokens.token, requested).await;
        assert_eq!(
            body["data"]["handshake"]["protocol"]["activeVersion"],
            json!(1),
            "requested {requested}: {body}"
        );
        assert_eq!(
            body["data"]["handshake"]["features"]["server_voice_session"],
            json!(false)
        );
    }

    let ack = ack_for(
        &app,
        json!({ "token": tokens.token, "requestedVersion": 2 }),
    )
    .await;
    assert_eq!(ack["protocol"]["activeVersion"], json!(1), "{ack}");
    assert_eq!(ack["protocol"]["supportedVersions"], json!([1, 2]));
    assert_eq!(ack["features"]["server_voice_session"], json!(false));

    // New tokens say so too, in the answer and in the `pv` claim.
    let fresh = app.extension_token(&user).await;
    assert_eq!(fresh.protocol_version, 1);
    let claims: Value =
        jsonwebtoken::dangerous::insecure_decode_claims(&fresh.token).expect("a JWT");
    assert_eq!(claims["pv"], json!(1));
    let response = app.refresh(fresh.device_id, &fresh.refresh_token).await;
    assert_eq!(response.status(), 200);
    let refreshed: lossy_tests::Tokens = response.json().await.expect("token body");
    assert_eq!(refreshed.protocol_version, 1);

    // Other users keep version 2.
    let body = handshake(&app, &bystander.token, 2).await;
    assert_eq!(
        body["data"]["handshake"]["protocol"]["activeVersion"],
        json!(2)
    );
}

#[tokio::test]
async fn connection_init_asking_for_version_1_gets_version_1() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    let ack = ack_for(
        &app,
        json!({ "token": tokens.token, "requestedVersion": 1 }),
    )
    .await;
    assert_eq!(
        ack["protocol"],
        json!({ "supportedVersions": [1, 2], "activeVersion": 1 })
    );
    // Asking for more than the server speaks gets the server's highest.
    let ack = ack_for(
        &app,
        json!({ "token": tokens.token, "requestedVersion": 3 }),
    )
    .await;
    assert_eq!(ack["protocol"]["activeVersion"], json!(2));
    // Without `requestedVersion`, the token's `pv` claim decides.
    let ack = ack_for(&app, json!({ "token": tokens.token })).await;
    assert_eq!(ack["protocol"]["activeVersion"], json!(2));
}

#[tokio::test]
async fn a_user_preferring_version_1_gets_it() {
    let app = spawn_app().await;
    let (user, tokens) = app.new_user_with_token().await;
    let answer = app
        .graphql(
            &tokens.token,
            "mutation { updateSettings(input: { preferredProtocolVersion: 1 }) { preferredProtocolVersion } }",
            Value::Null,
        )
        .await;
    assert!(answer["errors"].is_null(), "{answer}");
    let body = handshake(&app, &tokens.token, 2).await;
    assert_eq!(
        body["data"]["handshake"]["protocol"]["activeVersion"],
        json!(1)
    );
    let ack = ack_for(
        &app,
        json!({ "token": tokens.token, "requestedVersion": 2 }),
    )
    .await;
    assert_eq!(ack["protocol"]["activeVersion"], json!(1));
    assert_eq!(app.extension_token(&user).await.protocol_version, 1);
}
