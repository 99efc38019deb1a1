//! `featureFlagPreview` (issue 14): before a flag's default or rollout changes, whose answers
//! would flip and why one user's answer is what it is. Expected answers come from the server's
//! own pure bucket function, and are then checked against what saving the change really does.

use std::collections::BTreeMap;

use lossy_api::flags::evaluate::bucket;
use lossy_tests::{TestApp, assert_bad_user_input, error_code, spawn_app, subscribed_socket};
use serde_json::{Value, json};
use uuid::Uuid;

const FLAG: &str = "server_video_context";

const PREVIEW: &str =
    "query($input: FeatureFlagPreviewInput!) { featureFlagPreview(input: $input) {
    name usersConsidered changedCount turningOn turningOff
    changes { user { id email } before after reason }
    user { user { id email } enabled reason bucket }
} }";
const SET_FLAG: &str = "mutation($input: SetFeatureFlagInput!) { setFeatureFlag(input: $input) { name defaultEnabled rolloutPercent } }";
const SET_OVERRIDE: &str = "mutation($input: SetFeatureFlagOverrideInput!) { setFeatureFlagOverride(input: $input) { name } }";

async fn ok(app: &TestApp, token: &str, query: &str, input: Value) -> Value {
    let body = app.graphql(token, query, json!({ "input": input })).await;
    assert!(body["errors"].is_null(), "{input}: {body}");
    body["data"].clone()
}

async fn preview(app: &TestApp, token: &str, input: Value) -> Value {
    ok(app, token, PREVIEW, input).await["featureFlagPreview"].clone()
}

/// Every user's id and email, as the server stores them.
async fn all_users(app: &TestApp) -> BTreeMap<String, Uuid> {
    use sea_orm::EntityTrait;
    lossy_entities::users::Entity::find()
        .all(&app.state.db)
        .await
        .expect("users")
        .into_iter()
        .map(|user| (user.email, user.id))
        .collect()
}

/// At least twelve users, the flag off by default with no rollout, and one user whose bucket
/// is below 30 overridden off (so rollouts of 30 and 50 pass them by). Ids are random, so users
/// are added until the tests' cases all exist: another user below 30 and two at 50 or above.
async fn setup() -> (TestApp, String, Uuid) {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut created = Vec::new();
    while created.len() < 12
        || created.iter().filter(|id| bucket(FLAG, **id) < 30).count() < 2
        || created.iter().filter(|id| bucket(FLAG, **id) >= 50).count() < 2
    {
        assert!(created.len() < 200, "buckets are not spread over 0..100");
        let n = created.len();
        created.push(
            app.create_user(&format!("preview-{n:03}@lossy.test"), "password-123")
                .await,
        );
    }
    ok(
        &app,
        &admin,
        SET_FLAG,
        json!({ "name": FLAG, "defaultEnabled": false, "rolloutPercent": 0 }),
    )
    .await;
    let overridden = *created
        .iter()
        .find(|id| bucket(FLAG, **id) < 30)
        .expect("some user's bucket is below 30");
    ok(
        &app,
        &admin,
        SET_OVERRIDE,
        json!({ "name": FLAG, "userId": overridden, "enabled": false }),
    )
    .await;
    (app, admin, overridden)
}

#[tokio::test]
async fn a_preview_lists_exactly_the_users_a_rollout_turns_on_and_saving_agrees() {
    let (app, admin, overridden) = setup().await;
    let users = all_users(&app).await;
    // By email, as the preview lists them: buckets below 50 without an override turn on.
    let expected: Vec<&String> = users
        .iter()
        .filter(|(_, id)| **id != overridden && bucket(FLAG, **id) < 50)
        .map(|(email, _)| email)
        .collect();
    assert!(!expected.is_empty(), "no user in the first half");

    let result = preview(&app, &admin, json!({ "name": FLAG, "rolloutPercent": 50 })).await;
    assert_eq!(result["name"], FLAG);
    assert_eq!(result["usersConsidered"], json!(users.len()));
    assert_eq!(result["changedCount"], json!(expected.len()));
    assert_eq!(result["turningOn"], json!(expected.len()));
    assert_eq!(result["turningOff"], 0);
    let listed: Vec<&str> = result["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|change| {
            assert_eq!(
                (&change["before"], &change["after"], &change["reason"]),
                (&json!(false), &json!(true), &json!("ROLLOUT")),
                "{change}"
            );
            change["user"]["email"].as_str().expect("email")
        })
        .collect();
    let expected_emails: Vec<&str> = expected.iter().map(|e| e.as_str()).collect();
    assert_eq!(listed, expected_emails);
    assert!(result["user"].is_null());

    // Nothing changed yet.
    let stored = ok(&app, &admin, SET_FLAG, json!({ "name": FLAG })).await;
    assert_eq!(stored["setFeatureFlag"]["rolloutPercent"], 0);

    // The preview's default-on variant turns on everyone else but the overridden user.
    let default_on = preview(
        &app,
        &admin,
        json!({ "name": FLAG, "defaultEnabled": true }),
    )
    .await;
    assert_eq!(default_on["turningOn"], json!(users.len() - 1));

    // Saving the change: every user's answer is what the preview said it would be, and a
    // user it turns on hears of it on their open socket.
    // (A created user, whose password is known: the admin may be in the first half too.)
    let first = expected
        .iter()
        .find(|email| email.starts_with("preview-"))
        .expect("a created user below 50 besides the overridden one");
    let browser = app.login(first, "password-123").await;
    let token = app.extension_token(&browser).await.token;
    let mut socket = subscribed_socket(&app, &token, "f", "subscription { featuresChanged }").await;
    ok(
        &app,
        &admin,
        SET_FLAG,
        json!({ "name": FLAG, "rolloutPercent": 50 }),
    )
    .await;
    let message = socket.next_json().await;
    assert_eq!(
        message["payload"]["data"]["featuresChanged"][FLAG],
        json!(true),
        "{message}"
    );
    for (email, id) in &users {
        let features = lossy_api::flags::store::features_for(&app.state.db, *id)
            .await
            .expect("features");
        let on = features.get(FLAG).copied();
        assert_eq!(on, Some(expected.contains(&email)), "{email}");
    }
}

#[tokio::test]
async fn explain_gives_the_reason_and_bucket_of_override_rollout_and_default_users() {
    let (app, admin, overridden) = setup().await;
    let users = all_users(&app).await;
    let inside = *users
        .values()
        .find(|id| **id != overridden && bucket(FLAG, **id) < 30)
        .expect("a user below 30");
    let outside = *users
        .values()
        .find(|id| **id != overridden && bucket(FLAG, **id) >= 30)
        .expect("a user at or above 30");
    let explain = |user: Uuid| {
        preview(
            &app,
            &admin,
            json!({ "name": FLAG, "rolloutPercent": 30, "userId": user }),
        )
    };
    for (user, enabled, reason) in [
        (overridden, false, "OVERRIDE"),
        (inside, true, "ROLLOUT"),
        (outside, false, "DEFAULT"),
    ] {
        let answer = explain(user).await["user"].clone();
        assert_eq!(answer["user"]["id"], json!(user), "{answer}");
        assert_eq!(answer["enabled"], json!(enabled), "{reason}: {answer}");
        assert_eq!(answer["reason"], reason, "{answer}");
        assert_eq!(answer["bucket"], json!(bucket(FLAG, user)), "{answer}");
    }

    // Taking a rollout back turns its users off, falling back to the default.
    ok(
        &app,
        &admin,
        SET_FLAG,
        json!({ "name": FLAG, "rolloutPercent": 30 }),
    )
    .await;
    let back = preview(&app, &admin, json!({ "name": FLAG, "rolloutPercent": 0 })).await;
    let expected = users
        .values()
        .filter(|id| **id != overridden && bucket(FLAG, **id) < 30)
        .count();
    assert_eq!(back["turningOff"], json!(expected));
    assert_eq!(back["turningOn"], 0);
    assert!(
        back["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .all(|c| c["reason"] == "DEFAULT" && c["before"] == true && c["after"] == false),
        "{back}"
    );
}

#[tokio::test]
async fn rollouts_outside_0_to_100_unknown_flags_and_users_are_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for bad in [101, -1] {
        let input = json!({ "name": FLAG, "rolloutPercent": bad });
        let body = app
            .graphql(&admin, PREVIEW, json!({ "input": input }))
            .await;
        assert_bad_user_input(&body, "rolloutPercent", format!("preview {bad}"));
        let body = app
            .graphql(&admin, SET_FLAG, json!({ "input": input }))
            .await;
        assert_bad_user_input(&body, "rolloutPercent", format!("setFeatureFlag {bad}"));
    }
    // The refused rollouts changed nothing.
    let stored = ok(&app, &admin, SET_FLAG, json!({ "name": FLAG })).await;
    assert_eq!(stored["setFeatureFlag"]["rolloutPercent"], 0);

    let unknown = app
        .graphql(
            &admin,
            PREVIEW,
            json!({ "input": { "name": "server_magic" } }),
        )
        .await;
    assert_eq!(error_code(&unknown), Some("NOT_FOUND"), "{unknown}");
    let bad_id = app
        .graphql(
            &admin,
            PREVIEW,
            json!({ "input": { "name": FLAG, "userId": "nope" } }),
        )
        .await;
    assert_bad_user_input(&bad_id, "userId", "a malformed userId");
    let missing = app
        .graphql(
            &admin,
            PREVIEW,
            json!({ "input": { "name": FLAG, "userId": Uuid::new_v4() } }),
        )
        .await;
    assert_eq!(error_code(&missing), Some("NOT_FOUND"), "{missing}");
}

#[tokio::test]
async fn only_admins_may_preview() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    let input = json!({ "input": { "name": FLAG, "rolloutPercent": 10 } });
    let body = app.graphql(&tokens.token, PREVIEW, input.clone()).await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let anonymous = app.graphql("", PREVIEW, input).await;
    assert_eq!(
        error_code(&anonymous),
        Some("UNAUTHENTICATED"),
        "{anonymous}"
    );
}
