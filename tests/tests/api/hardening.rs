//! The HTTP surface under misuse: query depth, batches, body limits, bad bodies and content
//! types, introspection, error codes on every error, health, metrics, request ids, the
//! GraphQL-over-HTTP media type, and unknown paths.

use std::time::Duration;

use lossy_tests::ws::RawSocket;
use lossy_tests::{TestApp, error_code, header, spawn_app, spawn_app_with};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// `POST /graphql` with a raw body and content type, no credentials.
async fn post_raw(
    app: &TestApp,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/graphql"))
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .expect("request")
}

/// The status and JSON body of `response`.
async fn status_and_json(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    (status, response.json().await.expect("a JSON body"))
}

/// Status and JSON body of `POST /graphql` with `body` as JSON, no credentials.
async fn post_json(app: &TestApp, body: &Value) -> (StatusCode, Value) {
    status_and_json(post_raw(app, "application/json", body.to_string()).await).await
}

/// Status and JSON body of `POST /graphql` with nothing but `query`, no credentials.
async fn post_query(app: &TestApp, query: &str) -> (StatusCode, Value) {
    post_json(app, &json!({ "query": query })).await
}

/// Asserts every error of a GraphQL answer (or of each answer of a batch) has a code.
fn assert_every_error_has_a_code(body: &Value) {
    let answers = match body {
        Value::Array(all) => all.clone(),
        single => vec![single.clone()],
    };
    for answer in answers {
        for error in answer["errors"].as_array().into_iter().flatten() {
            assert!(
                error["extensions"]["code"]
                    .as_str()
                    .is_some_and(|c| !c.is_empty()),
                "an error without extensions.code: {error}"
            );
        }
    }
}

/// Asserts a GraphQL answer has errors and that each has a code; `query` names the request.
fn assert_errors_with_codes(body: &Value, query: &str) {
    assert!(
        body["errors"].as_array().is_some_and(|e| !e.is_empty()),
        "{query}: {body}"
    );
    assert_every_error_has_a_code(body);
}

/// `{ __schema { types { fields { type { ofType … { name } } } } } }` with `depth` fields on
/// the deepest path.
fn introspection_of_depth(depth: usize) -> String {
    assert!(depth >= 5);
    let mut fields = vec!["__schema", "types", "fields", "type"];
    fields.extend(std::iter::repeat_n("ofType", depth - 5));
    let mut query = String::from("{ ");
    for field in &fields {
        query.push_str(field);
        query.push_str(" { ");
    }
    query.push_str("name");
    for _ in &fields {
        query.push_str(" }");
    }
    query.push_str(" }");
    query
}

#[tokio::test]
async fn a_query_deeper_than_the_limit_is_refused() {
    let app = spawn_app().await;
    let (status, at_limit) = post_query(&app, &introspection_of_depth(12)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        at_limit["errors"].is_null(),
        "depth 12 is allowed: {at_limit}"
    );
    assert!(at_limit["data"]["__schema"]["types"].is_array());

    for depth in [13, 14, 16] {
        let (status, body) = post_query(&app, &introspection_of_depth(depth)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            error_code(&body),
            Some("GRAPHQL_VALIDATION_FAILED"),
            "depth {depth}: {body}"
        );
        assert!(body["data"].is_null(), "{body}");
        assert_every_error_has_a_code(&body);
    }
}

#[tokio::test]
async fn a_far_too_deep_query_is_a_validation_failure_too() {
    // A syntactically valid document that is too deep is refused by a limit, whatever its
    // depth; the code must not change with how far past the limit it goes.
    let app = spawn_app().await;
    for depth in [20, 40] {
        let (_, body) = post_query(&app, &introspection_of_depth(depth)).await;
        assert_eq!(
            error_code(&body),
            Some("GRAPHQL_VALIDATION_FAILED"),
            "depth {depth}: {body}"
        );
    }
}

#[tokio::test]
async fn the_depth_limit_is_configuration() {
    let app = spawn_app_with(|c| c.graphql_max_depth = 6).await;
    let (_, body) = post_query(&app, &introspection_of_depth(7)).await;
    assert_eq!(
        error_code(&body),
        Some("GRAPHQL_VALIDATION_FAILED"),
        "{body}"
    );
    let (_, body) = post_query(&app, &introspection_of_depth(6)).await;
    assert!(body["errors"].is_null(), "{body}");
}

#[tokio::test]
async fn batches_above_the_cap_are_refused_and_small_ones_work() {
    let app = spawn_app().await;
    let operation = json!({ "query": "{ __typename }" });

    let (status, body) = post_json(&app, &Value::Array(vec![operation.clone(); 11])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert!(body["data"].is_null());

    let (status, body) = post_json(&app, &json!([])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");

    let pair = json!([
        { "query": "{ __typename }" },
        { "query": "query Named { t: __typename }", "operationName": "Named" },
    ]);
    let (status, body) = post_json(&app, &pair).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!([
            { "data": { "__typename": "Query" } },
            { "data": { "t": "Query" } },
        ])
    );

    let (status, body) = post_json(&app, &Value::Array(vec![operation; 10])).await;
    assert_eq!(status, StatusCode::OK, "ten is the default cap: {body}");
    assert_eq!(body.as_array().map(Vec::len), Some(10));

    // Errors inside a batch carry codes as well.
    let mixed = json!([{ "query": "{ __typename }" }, { "query": "{ nope }" }]);
    let (_, body) = post_json(&app, &mixed).await;
    assert_eq!(body[0], json!({ "data": { "__typename": "Query" } }));
    assert_eq!(
        error_code(&body[1]),
        Some("GRAPHQL_VALIDATION_FAILED"),
        "{body}"
    );
    assert_every_error_has_a_code(&body);
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_and_the_server_carries_on() {
    let app = spawn_app_with(|c| c.http_body_limit_bytes = 4096).await;
    let padded = |size: usize| {
        let query = format!("{{ __typename }} # {}", "x".repeat(size));
        json!({ "query": query }).to_string()
    };

    let big = post_raw(&app, "application/json", padded(5000)).await;
    assert_eq!(big.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // The REST endpoints have the same limit.
    let login = reqwest::Client::new()
        .post(app.url("/api/auth/login"))
        .header("Content-Type", "application/json")
        .body(json!({ "email": "a@b.c", "password": "x".repeat(5000) }).to_string())
        .send()
        .await
        .expect("request");
    assert_eq!(login.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // Just under the limit is fine, and so is everything after.
    let (status, body) =
        status_and_json(post_raw(&app, "application/json", padded(3500)).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({ "data": { "__typename": "Query" } }));
    let (_, tokens) = app.new_user_with_token().await;
    let me = app
        .graphql(&tokens.token, "{ me { id } }", Value::Null)
        .await;
    assert!(me["data"]["me"]["id"].is_string(), "{me}");
    let health = reqwest::get(app.url("/healthz")).await.expect("healthz");
    assert_eq!(health.status(), StatusCode::OK);
}

#[tokio::test]
async fn malformed_json_and_non_requests_are_400_bad_user_input() {
    let app = spawn_app().await;
    for body in [
        "{\"query\": ",
        "not json at all",
        "",
        "42",
        "{\"variables\": {}}",
        "[1, 2]",
    ] {
        let response = post_raw(&app, "application/json", body).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body:?}");
        let answer: Value = response.json().await.expect("a JSON body");
        assert_eq!(
            error_code(&answer),
            Some("BAD_USER_INPUT"),
            "{body:?}: {answer}"
        );
        assert!(
            answer["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{answer}"
        );
    }
}

#[tokio::test]
async fn a_non_json_content_type_is_400() {
    let app = spawn_app().await;
    let query = json!({ "query": "{ __typename }" }).to_string();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ] {
        let response = post_raw(&app, content_type, query.clone()).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{content_type}");
        let answer: Value = response.json().await.expect("a JSON body");
        assert_eq!(error_code(&answer), Some("BAD_USER_INPUT"), "{answer}");
    }
    let missing = reqwest::Client::new()
        .post(app.url("/graphql"))
        .body(query.clone())
        .send()
        .await
        .expect("request");
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
    // The same body as JSON works.
    let response = post_raw(&app, "application/json; charset=utf-8", query).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn introspection_can_be_turned_off() {
    let query = "{ __schema { types { name } } }";
    let open = spawn_app().await;
    let (_, body) = post_query(&open, query).await;
    assert!(
        body["data"]["__schema"]["types"]
            .as_array()
            .is_some_and(|t| !t.is_empty()),
        "introspection is on by default: {body}"
    );

    let closed = spawn_app_with(|c| c.introspection = false).await;
    let (_, body) = post_query(&closed, query).await;
    assert!(body["data"]["__schema"]["types"].is_null(), "{body}");
    assert_every_error_has_a_code(&body);
    let type_query = "{ __type(name: \"User\") { fields { name } } }";
    let (_, body) = post_query(&closed, type_query).await;
    assert!(body["data"]["__type"]["fields"].is_null(), "{body}");
    assert_every_error_has_a_code(&body);

    // Ordinary queries still work.
    let (_, body) = post_query(&closed, "{ __typename }").await;
    assert_eq!(body, json!({ "data": { "__typename": "Query" } }));
}

#[tokio::test]
async fn introspection_turned_off_answers_an_error() {
    let closed = spawn_app_with(|c| c.introspection = false).await;
    for query in [
        "{ __schema { types { name } } }",
        "{ __type(name: \"User\") { fields { name } } }",
    ] {
        let (_, body) = post_query(&closed, query).await;
        assert_errors_with_codes(&body, query);
    }
}

#[tokio::test]
async fn validation_failures_carry_codes() {
    let app = spawn_app().await;
    let (_, body) = post_query(&app, "{ noSuchField }").await;
    assert_eq!(
        error_code(&body),
        Some("GRAPHQL_VALIDATION_FAILED"),
        "{body}"
    );

    let (_, tokens) = app.new_user_with_token().await;
    let bad = [
        ("{ me { id ", Value::Null),
        ("{ me { noSuchField } }", Value::Null),
        (
            "{ handshake(requestedVersion: \"two\") { serverTime } }",
            Value::Null,
        ),
        (
            "query($v: Int!) { handshake(requestedVersion: $v) { serverTime } }",
            Value::Null,
        ),
        (
            "query($v: Int!) { handshake(requestedVersion: $v) { serverTime } }",
            json!({ "v": "x" }),
        ),
        (
            "mutation { updateSettings(input: { cooldownMs: 99999 }) { version } }",
            Value::Null,
        ),
        (
            "mutation { createUser(input: { email: \"a@b.c\", password: \"password-1\" }) { id } }",
            Value::Null,
        ),
        ("{ featureFlags { name } }", Value::Null),
        ("subscription { settingsChanged { version } }", Value::Null),
        ("query A { me { id } } query B { me { id } }", Value::Null),
    ];
    for (query, variables) in bad {
        let body = app.graphql(&tokens.token, query, variables).await;
        assert_errors_with_codes(&body, query);
    }
    let body = app.graphql(&tokens.token, "{ me { id ", Value::Null).await;
    assert_eq!(error_code(&body), Some("GRAPHQL_PARSE_FAILED"), "{body}");
}

#[tokio::test]
async fn health_and_readiness() {
    let app = spawn_app().await;
    let health = reqwest::get(app.url("/healthz")).await.expect("healthz");
    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(
        health.json::<Value>().await.expect("JSON"),
        json!({ "status": "ok" })
    );

    let ready = reqwest::get(app.url("/readyz")).await.expect("readyz");
    assert_eq!(ready.status(), StatusCode::OK);
    let ready: Value = ready.json().await.expect("JSON");
    assert_eq!(ready["pendingMigrations"], json!(0), "{ready}");
    assert_eq!(ready["database"], json!(true), "{ready}");
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["draining"], json!(false), "{ready}");
}

#[tokio::test]
async fn one_document_text_serves_each_caller_with_their_own_variables_and_rights() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (alice, alice_tokens) = app.new_user_with_token().await;
    let (bob, bob_tokens) = app.new_user_with_token().await;
    // One text, parsed once and kept: who asks and with what still decide the answer.
    let query = "query($admin: Boolean!) { me { id } featureFlags @include(if: $admin) { name } }";
    for _ in 0..2 {
        let flags = app.graphql(&admin, query, json!({ "admin": true })).await;
        assert!(flags["data"]["featureFlags"].is_array(), "{flags}");
        let mine = app
            .graphql(&alice_tokens.token, query, json!({ "admin": false }))
            .await;
        assert_eq!(
            mine["data"]["me"]["id"],
            alice.user_id.to_string(),
            "{mine}"
        );
        assert!(mine["errors"].is_null(), "{mine}");
        let refused = app
            .graphql(&bob_tokens.token, query, json!({ "admin": true }))
            .await;
        assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
        let theirs = app
            .graphql(&bob_tokens.token, query, json!({ "admin": false }))
            .await;
        assert_eq!(
            theirs["data"]["me"]["id"],
            bob.user_id.to_string(),
            "{theirs}"
        );
    }
}

#[tokio::test]
async fn a_draining_node_is_not_ready_but_still_serves_until_it_stops() {
    let mut app = spawn_app_with(|config| config.drain_secs = 2).await;
    let (_, tokens) = app.new_user_with_token().await;
    app.ask_to_stop();
    let url = app.url("/readyz");
    let unready = lossy_tests::eventually(Duration::from_millis(1500), || async {
        let ready = reqwest::get(&url).await.expect("readyz while draining");
        ready.status() == StatusCode::SERVICE_UNAVAILABLE
    })
    .await;
    assert!(unready, "/readyz answered 503 while draining");
    let ready: Value = reqwest::get(&url)
        .await
        .unwrap()
        .json()
        .await
        .expect("JSON");
    assert_eq!(ready["draining"], json!(true), "{ready}");
    assert_eq!(ready["status"], "not_ready");
    // Meanwhile its clients are still served.
    let me = app
        .graphql(&tokens.token, "{ me { id } }", Value::Null)
        .await;
    assert!(me["data"]["me"]["id"].is_string(), "{me}");
    app.shutdown().await;
}

/// The sample lines of `metric` (those starting with its name and a label set).
fn samples<'a>(exposition: &'a str, metric: &str) -> Vec<&'a str> {
    exposition
        .lines()
        .filter(|line| {
            line.starts_with(&format!("{metric}{{")) || line.starts_with(&format!("{metric} "))
        })
        .collect()
}

fn sample_value(line: &str) -> f64 {
    line.rsplit(' ')
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no value in {line}"))
}

#[tokio::test]
async fn metrics_count_requests_auth_outcomes_and_sockets() {
    let app = spawn_app().await;
    reqwest::get(app.url("/healthz")).await.expect("healthz");
    let failed = app.post_login("nobody@lossy.test", "password-123").await;
    assert_eq!(failed.status(), StatusCode::UNAUTHORIZED);
    let (_, tokens) = app.new_user_with_token().await;
    let mut socket = RawSocket::connect(&app.ws_url(), None).await;
    socket.init(&tokens.token).await;

    let response = reqwest::get(app.url("/metrics")).await.expect("metrics");
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = header(&response, "content-type")
        .unwrap_or_default()
        .to_owned();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let text = response.text().await.expect("text");

    let requests = samples(&text, "lossy_http_requests_total");
    let health = requests
        .iter()
        .find(|l| l.contains(r#"route="/healthz""#) && l.contains(r#"status="200""#))
        .unwrap_or_else(|| panic!("no /healthz 200 sample in {requests:#?}"));
    assert!(health.contains(r#"method="GET""#), "{health}");
    assert!(sample_value(health) >= 1.0);
    assert!(
        requests
            .iter()
            .any(|l| l.contains(r#"route="/api/auth/login""#) && l.contains(r#"status="401""#)),
        "{requests:#?}"
    );

    let outcomes = samples(&text, "lossy_auth_outcomes_total");
    let denied = outcomes
        .iter()
        .find(|l| {
            l.contains(r#"kind="login""#)
                && l.contains(r#"outcome="denied""#)
                && l.contains(r#"reason="unknown_email""#)
        })
        .unwrap_or_else(|| panic!("no failed login in {outcomes:#?}"));
    assert!(sample_value(denied) >= 1.0);

    let sockets = samples(&text, "lossy_ws_open_sockets");
    assert_eq!(sockets.len(), 1, "{sockets:#?}");
    assert!(sample_value(sockets[0]) >= 1.0, "{}", sockets[0]);
    socket.close().await;
}

#[tokio::test]
async fn responses_carry_a_request_id() {
    let app = spawn_app().await;
    let mut seen = Vec::new();
    for path in ["/healthz", "/graphql", "/no/such/path"] {
        let response = reqwest::Client::new()
            .post(app.url(path))
            .json(&json!({ "query": "{ __typename }" }))
            .send()
            .await
            .expect("request");
        let id = header(&response, "x-request-id")
            .unwrap_or_else(|| panic!("no x-request-id on {path}"))
            .to_owned();
        uuid::Uuid::parse_str(&id).expect("a generated id is a UUID");
        seen.push(id);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 3, "every request gets its own id");

    // A caller's own id is kept.
    let response = reqwest::Client::new()
        .get(app.url("/healthz"))
        .header("x-request-id", "trace-me-123")
        .send()
        .await
        .expect("request");
    assert_eq!(header(&response, "x-request-id"), Some("trace-me-123"));
}

#[tokio::test]
async fn the_graphql_response_media_type_is_honoured() {
    let app = spawn_app().await;
    let media_type = "application/graphql-response+json";
    let send = |query: &'static str, accept: Option<&'static str>| {
        let mut request = reqwest::Client::new()
            .post(app.url("/graphql"))
            .json(&json!({ "query": query }));
        if let Some(accept) = accept {
            request = request.header("Accept", accept);
        }
        request.send()
    };
    fn content_type(response: &reqwest::Response) -> &str {
        header(response, "content-type").unwrap_or_default()
    }

    let invalid = send("{ noSuchField }", Some(media_type))
        .await
        .expect("request");
    assert_eq!(invalid.status(), StatusCode::BAD_REQUEST);
    assert_eq!(content_type(&invalid), media_type);
    let body: Value = invalid.json().await.expect("JSON");
    assert_eq!(
        error_code(&body),
        Some("GRAPHQL_VALIDATION_FAILED"),
        "{body}"
    );

    let fine = send("{ __typename }", Some(media_type))
        .await
        .expect("request");
    assert_eq!(fine.status(), StatusCode::OK);
    assert_eq!(content_type(&fine), media_type);

    // A field error after execution started is still 200: the request was valid.
    let partial = send("{ __typename me { id } }", Some(media_type))
        .await
        .expect("request");
    assert_eq!(partial.status(), StatusCode::OK);

    // Plain JSON clients get 200 with errors, as application/json.
    let plain = send("{ noSuchField }", None).await.expect("request");
    assert_eq!(plain.status(), StatusCode::OK);
    assert!(content_type(&plain).starts_with("application/json"));
    let body: Value = plain.json().await.expect("JSON");
    assert_eq!(error_code(&body), Some("GRAPHQL_VALIDATION_FAILED"));

    // Errors before GraphQL runs use the media type too.
    let response = reqwest::Client::new()
        .post(app.url("/graphql"))
        .header("Accept", media_type)
        .header("Content-Type", "application/json")
        .body("{")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(content_type(&response), media_type);
}

#[tokio::test]
async fn an_unknown_path_is_404_with_a_json_error() {
    let app = spawn_app().await;
    // Paths without an extension outside the API are the web app's client routes
    // (tests/tests/api/web.rs); a missing file is not.
    for path in ["/no/such/file.js", "/api/auth/nothing", "/graphql/extra"] {
        let response = reqwest::get(app.url(path)).await.expect("request");
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let body: Value = response.json().await.expect("a JSON body");
        assert_eq!(body["error"]["code"], "NOT_FOUND", "{path}: {body}");
        assert!(body["error"]["message"].is_string(), "{body}");
    }
}
