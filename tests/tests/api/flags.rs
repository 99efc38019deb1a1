//! Feature flags (PROTOCOL.md section 4): the five flags, admin-only management with input
//! checks, evaluation order override → rollout bucket → default through GraphQL, and
//! `featuresChanged` for changes made through the API and by another process.

use std::time::Duration;

use lossy_tests::ws::RawSocket;
use lossy_tests::{
    FLAGS, TestApp, all_flags_on, assert_bad_user_input, error_code, spawn_app, spawn_app_with,
    subscribed_socket,
};
use serde_json::{Value, json};
use uuid::Uuid;

const SET_FLAG: &str = "mutation($input: SetFeatureFlagInput!) { setFeatureFlag(input: $input) { name defaultEnabled rolloutPercent overrides { userId email enabled } } }";
const SET_OVERRIDE: &str = "mutation($input: SetFeatureFlagOverrideInput!) { setFeatureFlagOverride(input: $input) { name overrides { userId email enabled } } }";
const FEATURES_CHANGED: &str = "subscription { featuresChanged }";

async fn features(app: &TestApp, token: &str) -> Value {
    let body = app.graphql(token, "{ features }", Value::Null).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["features"].clone()
}

async fn feature(app: &TestApp, token: &str, name: &str) -> bool {
    features(app, token).await[name]
        .as_bool()
        .unwrap_or_else(|| panic!("flag {name} missing"))
}

/// Runs an admin mutation and asserts it succeeded.
async fn admin_write(app: &TestApp, admin: &str, query: &str, input: Value) -> Value {
    let body = app.graphql(admin, query, json!({ "input": input })).await;
    assert!(body["errors"].is_null(), "{input}: {body}");
    body["data"].clone()
}

/// Sets the default of `flag` to `enabled` as the admin.
async fn set_default(app: &TestApp, admin: &str, flag: &str, enabled: bool) -> Value {
    let input = json!({ "name": flag, "defaultEnabled": enabled });
    admin_write(app, admin, SET_FLAG, input).await
}

/// Sets the rollout of `flag` to `percent` as the admin.
async fn set_rollout(app: &TestApp, admin: &str, flag: &str, percent: i32) -> Value {
    let input = json!({ "name": flag, "rolloutPercent": percent });
    admin_write(app, admin, SET_FLAG, input).await
}

/// Overrides `flag` for `user_id` to `enabled` as the admin.
async fn set_override(
    app: &TestApp,
    admin: &str,
    flag: &str,
    user_id: Uuid,
    enabled: bool,
) -> Value {
    let input = json!({ "name": flag, "userId": user_id, "enabled": enabled });
    admin_write(app, admin, SET_OVERRIDE, input).await
}

/// An acknowledged socket for `token` with `featuresChanged` in place.
async fn watching_features(app: &TestApp, token: &str) -> RawSocket {
    subscribed_socket(app, token, "features", FEATURES_CHANGED).await
}

/// The map of the next `featuresChanged` event on `socket`.
async fn next_features(socket: &mut RawSocket) -> Value {
    let message = socket.next_json().await;
    assert_eq!(message["type"], "next", "{message}");
    assert_eq!(message["id"], "features", "{message}");
    message["payload"]["data"]["featuresChanged"].clone()
}

fn with(flag: &str, on: bool) -> Value {
    let mut map = all_flags_on();
    map[flag] = json!(on);
    map
}

#[tokio::test]
async fn the_five_flags_exist_and_are_on_for_a_new_user() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    assert_eq!(features(&app, &tokens.token).await, all_flags_on());
}

#[tokio::test]
async fn only_admins_list_flags() {
    let app = spawn_app().await;
    let (user, tokens) = app.new_user_with_token().await;
    let admin = app.admin_token().await;
    set_override(&app, &admin, "server_telemetry", user.user_id, false).await;

    let query = "{ featureFlags { name description defaultEnabled rolloutPercent overrides { userId email enabled } } }";
    let listed = app.graphql(&admin, query, Value::Null).await;
    let flags = listed["data"]["featureFlags"]
        .as_array()
        .unwrap_or_else(|| panic!("{listed}"));
    let mut names: Vec<&str> = flags.iter().map(|f| f["name"].as_str().unwrap()).collect();
    names.sort_unstable();
    let mut expected = FLAGS.to_vec();
    expected.sort_unstable();
    assert_eq!(names, expected);
    for flag in flags {
        assert_eq!(flag["defaultEnabled"], json!(true), "{flag}");
        assert!(
            flag["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{flag}"
        );
        let overrides = flag["overrides"].as_array().unwrap();
        if flag["name"] == "server_telemetry" {
            assert_eq!(
                overrides,
                &vec![json!({ "userId": user.user_id, "email": user.email, "enabled": false })]
            );
        } else {
            assert!(overrides.is_empty(), "{flag}");
        }
    }

    let refused = app.graphql(&tokens.token, query, Value::Null).await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
    assert!(refused["data"].is_null(), "{refused}");
    for (mutation, input) in [
        (
            SET_FLAG,
            json!({ "name": "server_telemetry", "defaultEnabled": false }),
        ),
        (
            SET_OVERRIDE,
            json!({ "name": "server_telemetry", "userId": user.user_id, "enabled": true }),
        ),
    ] {
        let refused = app
            .graphql(&tokens.token, mutation, json!({ "input": input }))
            .await;
        assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
    }
    // The refused writes changed nothing.
    assert_eq!(
        features(&app, &tokens.token).await,
        with("server_telemetry", false)
    );
    let (_, other) = app.new_user_with_token().await;
    assert_eq!(features(&app, &other.token).await, all_flags_on());
}

#[tokio::test]
async fn bad_flag_input_is_refused_on_its_field() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (user, tokens) = app.new_user_with_token().await;
    let cases = [
        (
            SET_FLAG,
            json!({ "name": "server_voice_sesion", "defaultEnabled": false }),
            "name",
        ),
        (
            SET_FLAG,
            json!({ "name": "server_telemetry", "rolloutPercent": 101 }),
            "rolloutPercent",
        ),
        (
            SET_FLAG,
            json!({ "name": "server_telemetry", "rolloutPercent": -1 }),
            "rolloutPercent",
        ),
        (
            SET_OVERRIDE,
            json!({ "name": "no_such_flag", "userId": user.user_id, "enabled": false }),
            "name",
        ),
    ];
    for (mutation, input, field) in cases {
        let answer = app
            .graphql(&admin, mutation, json!({ "input": input.clone() }))
            .await;
        assert_bad_user_input(&answer, field, &input);
    }
    let unknown_user = app
        .graphql(
            &admin,
            SET_OVERRIDE,
            json!({ "input": { "name": "server_telemetry", "userId": Uuid::new_v4(), "enabled": false } }),
        )
        .await;
    assert_eq!(
        error_code(&unknown_user),
        Some("NOT_FOUND"),
        "{unknown_user}"
    );

    // Nothing was written.
    assert_eq!(features(&app, &tokens.token).await, all_flags_on());
    let listed = app
        .graphql(
            &admin,
            "{ featureFlags { rolloutPercent defaultEnabled overrides { userId } } }",
            Value::Null,
        )
        .await;
    for flag in listed["data"]["featureFlags"].as_array().unwrap() {
        assert_eq!(
            flag,
            &json!({ "rolloutPercent": 0, "defaultEnabled": true, "overrides": [] })
        );
    }
}

#[tokio::test]
async fn an_override_beats_the_rollout_which_beats_the_default() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (user, tokens) = app.new_user_with_token().await;
    let flag = "server_telemetry";

    // Default off, rollout 0: off.
    let data = set_default(&app, &admin, flag, false).await;
    assert_eq!(data["setFeatureFlag"]["defaultEnabled"], json!(false));
    assert_eq!(data["setFeatureFlag"]["rolloutPercent"], json!(0));
    assert!(!feature(&app, &tokens.token, flag).await);
    // Other flags are not affected.
    assert_eq!(features(&app, &tokens.token).await, with(flag, false));

    // An override on beats the default.
    set_override(&app, &admin, flag, user.user_id, true).await;
    assert!(feature(&app, &tokens.token, flag).await);

    // Cleared (by email this time), the default decides again.
    let data = admin_write(
        &app,
        &admin,
        SET_OVERRIDE,
        json!({ "name": flag, "email": user.email, "enabled": null }),
    )
    .await;
    assert_eq!(data["setFeatureFlagOverride"]["overrides"], json!([]));
    assert!(!feature(&app, &tokens.token, flag).await);

    // Rollout 100 puts every bucket in, whatever the default.
    let data = set_rollout(&app, &admin, flag, 100).await;
    assert_eq!(
        data["setFeatureFlag"]["defaultEnabled"],
        json!(false),
        "kept"
    );
    assert!(feature(&app, &tokens.token, flag).await);

    // An override off beats the rollout.
    set_override(&app, &admin, flag, user.user_id, false).await;
    assert!(!feature(&app, &tokens.token, flag).await);
    // ...for that user only.
    let (_, other) = app.new_user_with_token().await;
    assert!(feature(&app, &other.token, flag).await);

    // Rollout 0 again: the default (off) decides for users without an override.
    set_rollout(&app, &admin, flag, 0).await;
    assert!(!feature(&app, &other.token, flag).await);
}

#[tokio::test]
async fn features_changed_follows_admin_changes_and_own_overrides_only() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (user, tokens) = app.new_user_with_token().await;
    let (stranger, _) = app.new_user_with_token().await;
    let mut socket = watching_features(&app, &tokens.token).await;

    // A flag change that affects the user.
    set_default(&app, &admin, "server_video_context", false).await;
    let mut expected = with("server_video_context", false);
    assert_eq!(next_features(&mut socket).await, expected);

    // An override of the user's own.
    set_override(&app, &admin, "server_notes_channel", user.user_id, false).await;
    expected["server_notes_channel"] = json!(false);
    assert_eq!(next_features(&mut socket).await, expected);

    // Another user's override is none of this socket's business.
    set_override(&app, &admin, "server_telemetry", stranger.user_id, false).await;
    socket.expect_silence(Duration::from_millis(300)).await;

    // Nor is a change that leaves the user's values as they were (already off by override).
    set_default(&app, &admin, "server_notes_channel", false).await;
    socket.expect_silence(Duration::from_millis(300)).await;

    // Turning the flag back on reaches the socket again.
    set_default(&app, &admin, "server_video_context", true).await;
    expected["server_video_context"] = json!(true);
    assert_eq!(next_features(&mut socket).await, expected);
}

#[tokio::test]
async fn a_change_written_by_another_process_reaches_open_sockets() {
    let app = spawn_app_with(|c| c.flag_poll_ms = 100).await;
    let (user, tokens) = app.new_user_with_token().await;
    let mut socket = watching_features(&app, &tokens.token).await;

    // As `lossy flags set server_telemetry --default off` would, straight into the database
    // and without telling this server.
    lossy_api::flags::store::set_flag(&app.state.db, "server_telemetry", Some(false), None)
        .await
        .expect("set the flag in the database");
    assert_eq!(
        next_features(&mut socket).await,
        with("server_telemetry", false)
    );

    // As `lossy flags override server_telemetry --email … on` would.
    lossy_api::flags::store::set_override(
        &app.state.db,
        "server_telemetry",
        user.user_id,
        Some(true),
    )
    .await
    .expect("set the override in the database");
    assert_eq!(next_features(&mut socket).await, all_flags_on());

    // The query agrees with what was pushed.
    assert_eq!(features(&app, &tokens.token).await, all_flags_on());
}
