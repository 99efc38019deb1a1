//! The admin console's Users page: `users`, `userDevices`, `setUserRole`, `setUserDisabled`,
//! and every admin query of the console refused to other users.

use std::time::Duration;

use lossy_tests::extension::Extension;
use lossy_tests::ws::RawSocket;
use lossy_tests::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, error_code, spawn_app};
use serde_json::{Value, json};
use uuid::Uuid;

const USERS: &str = "query($first: Int, $after: String, $search: String, $role: Role, $disabled: Boolean) {
    users(first: $first, after: $after, search: $search, role: $role, disabled: $disabled) {
        pageInfo { hasNextPage endCursor } edges { cursor node { id email name role disabled disabledAt } }
        nodes { id } } }";
const SET_ROLE: &str =
    "mutation($id: ID!, $role: Role!) { setUserRole(id: $id, role: $role) { id role disabled } }";
const SET_DISABLED: &str = "mutation($id: ID!, $disabled: Boolean!) {
    setUserDisabled(id: $id, disabled: $disabled) { id disabled disabledAt } }";

/// The fewest statements the schema runs for `query` as the admin `user_id` in three tries, on
/// a connection that counts them.
pub(crate) async fn statements_for(app: &TestApp, user_id: Uuid, query: &str) -> usize {
    use lossy_api::auth::{Credential, Role, Viewer};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let mut fewest = usize::MAX;
    for _ in 0..3 {
        let counted = Arc::new(AtomicUsize::new(0));
        let mut state = app.state.clone();
        let counter = counted.clone();
        state.db.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        let schema = lossy_api::graphql::build_schema(&app.state.config, Some(state));
        let viewer = Viewer {
            user_id,
            email: ADMIN_EMAIL.into(),
            role: Role::Admin,
            credential: Credential::WebSession {
                session_id: Uuid::new_v4(),
            },
        };
        let response = schema
            .execute(async_graphql::Request::new(query).data(viewer))
            .await;
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        fewest = fewest.min(counted.load(Ordering::SeqCst));
    }
    fewest
}

async fn users(app: &TestApp, token: &str, variables: Value) -> Value {
    let body = app.graphql(token, USERS, variables).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["users"].clone()
}

fn emails(connection: &Value) -> Vec<String> {
    connection["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["email"].as_str().unwrap().to_owned())
        .collect()
}

async fn set_role(app: &TestApp, token: &str, id: Uuid, role: &str) -> Value {
    app.graphql(token, SET_ROLE, json!({ "id": id, "role": role }))
        .await
}

async fn set_disabled(app: &TestApp, token: &str, id: Uuid, disabled: bool) -> Value {
    app.graphql(
        token,
        SET_DISABLED,
        json!({ "id": id, "disabled": disabled }),
    )
    .await
}

#[tokio::test]
async fn users_are_paged_newest_first_and_found_by_search_role_and_state() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut created = Vec::new();
    for email in [
        "ada@lossy.test",
        "grace@lossy.test",
        "linus_t@lossy.test",
        "linusxt@lossy.test",
        "margaret@example.org",
    ] {
        created.push((email, app.create_user(email, "password-123").await));
        // Distinct creation times, so "newest first" has one answer.
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    // Pages of two, newest first, ending with the admin created at start.
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = users(&app, &admin, json!({ "first": 2, "after": after })).await;
        assert_eq!(
            page["nodes"].as_array().unwrap().len(),
            page["edges"].as_array().unwrap().len()
        );
        seen.extend(emails(&page));
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    let mut expected: Vec<String> = created.iter().rev().map(|(e, _)| e.to_string()).collect();
    expected.push(ADMIN_EMAIL.to_owned());
    assert_eq!(seen, expected);

    // Case-insensitive on email or name; `_` matches itself only.
    let found = users(&app, &admin, json!({ "search": "LINUS_" })).await;
    assert_eq!(emails(&found), vec!["linus_t@lossy.test"]);
    let found = users(&app, &admin, json!({ "search": "example.ORG" })).await;
    assert_eq!(emails(&found), vec!["margaret@example.org"]);
    let found = users(&app, &admin, json!({ "search": "%" })).await;
    assert_eq!(emails(&found), Vec::<String>::new());

    let admins = users(&app, &admin, json!({ "role": "ADMIN" })).await;
    assert_eq!(emails(&admins), vec![ADMIN_EMAIL]);

    let grace = created[1].1;
    let disabled = set_disabled(&app, &admin, grace, true).await;
    assert_eq!(
        disabled["data"]["setUserDisabled"]["disabled"], true,
        "{disabled}"
    );
    assert!(disabled["data"]["setUserDisabled"]["disabledAt"].is_string());
    let only = users(&app, &admin, json!({ "disabled": true })).await;
    assert_eq!(emails(&only), vec!["grace@lossy.test"]);
    assert_eq!(only["edges"][0]["node"]["disabled"], true);
    let enabled = users(&app, &admin, json!({ "disabled": false, "first": 100 })).await;
    assert!(!emails(&enabled).contains(&"grace@lossy.test".to_owned()));
    assert_eq!(emails(&enabled).len(), 5);

    let bad = app
        .graphql(&admin, USERS, json!({ "after": "not a cursor" }))
        .await;
    lossy_tests::assert_bad_user_input(&bad, "after", "a made-up cursor");
}

#[tokio::test]
async fn listing_users_costs_the_same_queries_for_few_or_many() {
    let app = spawn_app().await;
    let admin = app.admin_browser().await;
    let query = "{ users(first: 100) { edges { node { id email role disabled disabledAt } } } }";
    let mut statements = Vec::new();
    for users in [2, 12] {
        for n in 0..users {
            app.create_user(&format!("u{users}-{n}@lossy.test"), "password-123")
                .await;
        }
        statements.push(statements_for(&app, admin.user_id, query).await);
    }
    assert_eq!(statements[0], statements[1]);
}

#[tokio::test]
async fn there_is_always_an_enabled_admin() {
    let app = spawn_app().await;
    let admin = app.admin_browser().await;
    let token = app.extension_token(&admin).await.token;

    // The only admin may neither demote nor disable themself.
    let demoted = set_role(&app, &token, admin.user_id, "USER").await;
    assert_eq!(error_code(&demoted), Some("CONFLICT"), "{demoted}");
    let disabled = set_disabled(&app, &token, admin.user_id, true).await;
    assert_eq!(error_code(&disabled), Some("CONFLICT"), "{disabled}");

    // With a second admin, who is then disabled, the first is the last enabled one again.
    let other = app.create_user("second@lossy.test", "password-123").await;
    let promoted = set_role(&app, &token, other, "ADMIN").await;
    assert_eq!(
        promoted["data"]["setUserRole"]["role"], "ADMIN",
        "{promoted}"
    );
    let off = set_disabled(&app, &token, other, true).await;
    assert_eq!(off["data"]["setUserDisabled"]["disabled"], true, "{off}");
    let demoted = set_role(&app, &token, admin.user_id, "USER").await;
    assert_eq!(error_code(&demoted), Some("CONFLICT"), "{demoted}");
    // Yourself stays refused even when another admin is enabled.
    let on = set_disabled(&app, &token, other, false).await;
    assert_eq!(on["data"]["setUserDisabled"]["disabled"], false, "{on}");
    let disabled = set_disabled(&app, &token, admin.user_id, true).await;
    assert_eq!(error_code(&disabled), Some("CONFLICT"), "{disabled}");

    // Now the first admin may step down; they are an ordinary user from then on.
    let demoted = set_role(&app, &token, admin.user_id, "USER").await;
    assert_eq!(demoted["data"]["setUserRole"]["role"], "USER", "{demoted}");
    let refused = app.graphql(&token, USERS, json!({})).await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");

    assert_eq!(
        app.audit("user_role_changed").await.len(),
        2,
        "each role change is in the audit log"
    );
    assert_eq!(app.audit("user_disabled").await.len(), 1);
    assert_eq!(app.audit("user_enabled").await.len(), 1);

    let unknown = set_role(&app, &token, Uuid::new_v4(), "USER").await;
    assert_eq!(
        error_code(&unknown),
        Some("FORBIDDEN"),
        "no longer an admin: {unknown}"
    );
}

#[tokio::test]
async fn disabling_ends_sessions_and_sockets_and_refuses_sign_in_until_enabled() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let email = "dana@lossy.test";
    let user_id = app.create_user(email, "password-123").await;
    let browser = app.login(email, "password-123").await;
    let tokens = app.extension_token(&browser).await;
    let mut extension = Extension::connect(&app, &tokens).await;
    let session = extension.start().await;
    let mut dashboard =
        RawSocket::connect_with_cookie(&app.ws_url(), &app.origin(), &browser.session_cookie(&app))
            .await;
    dashboard.send_init(json!({})).await;
    assert_eq!(dashboard.next_json().await["type"], "connection_ack");

    let disabled = set_disabled(&app, &admin, user_id, true).await;
    assert_eq!(
        disabled["data"]["setUserDisabled"]["disabled"], true,
        "{disabled}"
    );

    // Both sockets close with 4403 (the extension's may first deliver the session's end).
    for socket in [&mut extension.socket, &mut dashboard] {
        let reason = loop {
            match socket.next_frame().await {
                lossy_tests::ws::Frame::Closed { code, reason } => {
                    assert_eq!(code, 4403, "{reason}");
                    break reason;
                }
                lossy_tests::ws::Frame::Json(_) => continue,
            }
        };
        assert_eq!(reason, "account disabled");
    }
    let session_ended = lossy_tests::eventually(Duration::from_secs(5), || async {
        !lossy_api::voice::service::is_live(&app.state, session.parse().unwrap())
    })
    .await;
    assert!(session_ended, "the voice session ends");

    // Sign-in, refresh, the token, the old cookie and a new socket are all refused.
    let login = app.post_login(email, "password-123").await;
    assert_eq!(login.status(), 403);
    let body: Value = login.json().await.unwrap();
    assert_eq!(body["error"]["code"], "ACCOUNT_DISABLED", "{body}");
    let refresh = app.refresh(tokens.device_id, &tokens.refresh_token).await;
    assert_eq!(refresh.status(), 403);
    let body: Value = refresh.json().await.unwrap();
    assert_eq!(body["error"]["code"], "ACCOUNT_DISABLED", "{body}");
    let me = app.graphql(&tokens.token, "{ me { id } }", json!({})).await;
    assert_eq!(error_code(&me), Some("UNAUTHENTICATED"), "{me}");
    assert_eq!(me["errors"][0]["message"], "this account is disabled");
    let cookie_me = browser
        .client
        .post(app.url("/graphql"))
        .header("Origin", app.origin())
        .json(&json!({ "query": "{ me { id } }" }))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(
        error_code(&cookie_me),
        Some("UNAUTHENTICATED"),
        "{cookie_me}"
    );
    let mut rejoin = RawSocket::connect(&app.ws_url(), None).await;
    rejoin.send_init(json!({ "token": tokens.token })).await;
    rejoin.expect_close(4403).await;
    assert!(
        app.audit("login")
            .await
            .contains(&lossy_tests::denied("account_disabled"))
    );
    assert!(
        app.audit("refresh")
            .await
            .contains(&lossy_tests::denied("account_disabled"))
    );

    // Enabled again: the same password, refresh token and device work.
    let enabled = set_disabled(&app, &admin, user_id, false).await;
    assert_eq!(
        enabled["data"]["setUserDisabled"]["disabled"], false,
        "{enabled}"
    );
    assert_eq!(
        enabled["data"]["setUserDisabled"]["disabledAt"],
        Value::Null
    );
    assert_eq!(app.post_login(email, "password-123").await.status(), 200);
    let refresh = app.refresh(tokens.device_id, &tokens.refresh_token).await;
    assert_eq!(refresh.status(), 200);
    let me = app
        .graphql(
            &tokens.token,
            "{ me { id disabled disabledAt } }",
            json!({}),
        )
        .await;
    assert_eq!(
        me["data"]["me"]["disabled"], false,
        "a user sees their own: {me}"
    );
    let mut socket = RawSocket::connect(&app.ws_url(), None).await;
    socket.init(&tokens.token).await;
}

#[tokio::test]
async fn user_devices_are_an_admins_or_the_users_own() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (browser, tokens) = app.new_user_with_token().await;
    let (other, _) = app.new_user_with_token().await;
    const DEVICES: &str = "query($id: ID!) { userDevices(userId: $id) { id userId current } }";

    let by_admin = app
        .graphql(&admin, DEVICES, json!({ "id": browser.user_id }))
        .await;
    assert_eq!(
        by_admin["data"]["userDevices"],
        json!([{ "id": tokens.device_id, "userId": browser.user_id, "current": false }])
    );
    let own = app
        .graphql(&tokens.token, DEVICES, json!({ "id": browser.user_id }))
        .await;
    assert_eq!(own["data"]["userDevices"][0]["current"], true, "{own}");
    let others = app
        .graphql(&tokens.token, DEVICES, json!({ "id": other.user_id }))
        .await;
    assert_eq!(error_code(&others), Some("FORBIDDEN"), "{others}");
}

#[tokio::test]
async fn every_admin_console_query_and_mutation_refuses_users_and_anonymous_callers() {
    let app = spawn_app().await;
    let (browser, tokens) = app.new_user_with_token().await;
    let admin = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let calls = [
        ("{ liveSessions { total } }", json!({})),
        ("{ serverHealth { version } }", json!({})),
        ("{ jobCounts { pending } }", json!({})),
        (
            "query($k: JobKind) { jobCounts(kind: $k) { dead } }",
            json!({ "k": "POST_NOTE" }),
        ),
        ("{ users { nodes { id } } }", json!({})),
        (
            "query($id: ID!) { userDevices(userId: $id) { id } }",
            json!({ "id": admin.user_id }),
        ),
        (SET_ROLE, json!({ "id": browser.user_id, "role": "ADMIN" })),
        (
            SET_DISABLED,
            json!({ "id": admin.user_id, "disabled": true }),
        ),
    ];
    for (query, variables) in &calls {
        let body = app.graphql(&tokens.token, query, variables.clone()).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{query}: {body}");
        let anonymous: Value = reqwest::Client::new()
            .post(app.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            error_code(&anonymous),
            Some("UNAUTHENTICATED"),
            "{query}: {anonymous}"
        );
    }
    // Nothing changed.
    let me = app
        .graphql(&tokens.token, "{ me { role disabled } }", json!({}))
        .await;
    assert_eq!(
        me["data"]["me"],
        json!({ "role": "USER", "disabled": false })
    );
}
