//! The admin audit log query: keyset pages, bounds on `first`, cursors, and who may read it.

use lossy_tests::{error_code, spawn_app};
use serde_json::{Value, json};

const AUTH_EVENTS: &str = "query($first: Int, $after: String, $kind: String) {
    authEvents(first: $first, after: $after, kind: $kind) {
        edges { cursor node { id occurredAt kind outcome reason email } }
        pageInfo { hasNextPage hasPreviousPage endCursor }
    }
}";

#[tokio::test]
async fn admins_page_through_the_audit_log_newest_first() {
    let app = spawn_app().await;
    let admin = app.admin_browser().await;
    let token = app.extension_token(&admin).await.token;
    for i in 0..5 {
        let wrong = reqwest::Client::new()
            .post(app.url("/api/auth/login"))
            .json(&json!({ "email": format!("nobody{i}@lossy.test"), "password": "whatever-123" }))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 401);
    }

    let mut seen: Vec<Value> = Vec::new();
    let mut after = Value::Null;
    loop {
        let body = app
            .graphql(
                &token,
                AUTH_EVENTS,
                json!({ "first": 2, "after": after, "kind": "login" }),
            )
            .await;
        let page = &body["data"]["authEvents"];
        let edges = page["edges"].as_array().unwrap_or_else(|| panic!("{body}"));
        assert!(edges.len() <= 2);
        seen.extend(edges.iter().map(|e| e["node"].clone()));
        assert_eq!(page["pageInfo"]["hasPreviousPage"], !after.is_null());
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    // The admin's own successful login plus the five failures, each exactly once.
    assert_eq!(seen.len(), 6, "{seen:#?}");
    let mut ids: Vec<&str> = seen.iter().map(|n| n["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 6, "no row twice across pages");
    let times: Vec<chrono::DateTime<chrono::FixedOffset>> = seen
        .iter()
        .map(|n| chrono::DateTime::parse_from_rfc3339(n["occurredAt"].as_str().unwrap()).unwrap())
        .collect();
    let mut newest_first = times.clone();
    newest_first.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(times, newest_first);
    assert_eq!(
        seen.iter()
            .filter(|n| n["reason"] == "unknown_email")
            .count(),
        5
    );
}

#[tokio::test]
async fn page_bounds_cursors_and_roles_are_enforced() {
    let app = spawn_app().await;
    let admin = app.admin_browser().await;
    let token = app.extension_token(&admin).await.token;

    let too_big = app
        .graphql(&token, AUTH_EVENTS, json!({ "first": 101 }))
        .await;
    assert_eq!(error_code(&too_big), Some("BAD_USER_INPUT"));
    assert_eq!(too_big["errors"][0]["extensions"]["field"], "first");

    let garbage = app
        .graphql(&token, AUTH_EVENTS, json!({ "after": "bm90IGEgY3Vyc29y" }))
        .await;
    assert_eq!(error_code(&garbage), Some("BAD_USER_INPUT"));
    assert_eq!(garbage["errors"][0]["extensions"]["field"], "after");

    let user = app.new_browser().await;
    let user_token = app.extension_token(&user).await.token;
    let refused = app.graphql(&user_token, AUTH_EVENTS, json!({})).await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"));
}
