//! Authentication end to end (PROTOCOL.md section 2, docs/auth.md): the dashboard's password
//! login and session cookie, the extension's device tokens with refresh rotation and reuse
//! detection, every way a bearer token can be forged or stale, devices and accounts over
//! GraphQL, rate limits and the cross-site rule for cookie requests.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use lossy_tests::{
    ADMIN_EMAIL, Browser, TEST_JWT_SECRET, TestApp, Tokens, assert_bad_user_input, base64url,
    denied, error_code, header, spawn_app, spawn_app_with, succeeded,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

const ME: &str = "{ me { id } }";
const REVOKE: &str = "mutation($id: ID!) { revokeDevice(id: $id) { id revokedAt revokeReason } }";
const DEVICES: &str = "{ devices { id userId name current revokedAt } }";
const CREATE_USER: &str =
    "mutation($input: CreateUserInput!) { createUser(input: $input) { id email name role } }";

/// `POST /api/auth/extension_token` with an explicit `Cookie` and `Origin` (either may be
/// absent), outside any cookie jar.
async fn post_extension_token_raw(
    app: &TestApp,
    cookie: Option<&str>,
    origin: Option<&str>,
    device_id: Uuid,
) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(app.url("/api/auth/extension_token"))
        .json(&json!({ "deviceId": device_id, "deviceName": "Test Chrome" }));
    if let Some(cookie) = cookie {
        request = request.header("Cookie", cookie);
    }
    if let Some(origin) = origin {
        request = request.header("Origin", origin);
    }
    request.send().await.expect("extension_token request")
}

/// The `error.code` of a REST error answer, after checking its shape.
async fn rest_error(response: reqwest::Response) -> (StatusCode, String, Value) {
    let status = response.status();
    let body: Value = response.json().await.expect("a JSON error body");
    let code = body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error.code in {body}"))
        .to_owned();
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "no error.message in {body}"
    );
    (status, code, body)
}

/// Asserts that `response` is a REST error with `status` and `error.code` `code`.
async fn assert_rest_error(response: reqwest::Response, status: StatusCode, code: &str) {
    let (got_status, got_code, body) = rest_error(response).await;
    assert_eq!(got_status, status, "{body}");
    assert_eq!(got_code, code, "{body}");
}

/// `POST /api/auth/logout` with `browser`'s session cookie, from the server's own origin.
async fn logout(app: &TestApp, browser: &Browser) -> reqwest::Response {
    browser
        .client
        .post(app.url("/api/auth/logout"))
        .header("Origin", app.origin())
        .send()
        .await
        .expect("logout")
}

/// `POST /graphql` with `browser`'s session cookie and `origin`, if any, as its `Origin`.
async fn cookie_graphql(
    app: &TestApp,
    browser: &Browser,
    origin: Option<&str>,
    body: &Value,
) -> reqwest::Response {
    let mut request = browser.client.post(app.url("/graphql")).json(body);
    if let Some(origin) = origin {
        request = request.header("Origin", origin);
    }
    request.send().await.expect("request")
}

/// Claims as the server mints them, valid for ten minutes.
fn claims(user_id: Uuid, device_id: Uuid) -> Value {
    let now = Utc::now().timestamp();
    json!({
        "sub": user_id,
        "did": device_id,
        "pv": 2,
        "iat": now,
        "exp": now + 600,
        "iss": "lossy",
        "aud": "lossy-api",
        "jti": Uuid::new_v4(),
    })
}

/// A server with one user and device, and claims for that device as the server would mint
/// them: what the forgeries below start from.
struct Target {
    app: TestApp,
    browser: Browser,
    tokens: Tokens,
    claims: Value,
}

async fn target() -> Target {
    let app = spawn_app().await;
    let (browser, tokens) = app.new_user_with_token().await;
    let claims = claims(browser.user_id, tokens.device_id);
    Target {
        app,
        browser,
        tokens,
        claims,
    }
}

impl Target {
    /// The target's claims signed with `algorithm` and `secret`.
    fn sign(&self, algorithm: Algorithm, secret: &str) -> String {
        jsonwebtoken::encode(
            &Header::new(algorithm),
            &self.claims,
            &EncodingKey::from_secret(secret.as_bytes()),
        )
        .expect("sign a token")
    }
}

/// Asserts that `token` on `POST /graphql` answers 401 `UNAUTHENTICATED` and that the refusal
/// is the newest `http_token` audit row, with `reason`.
async fn assert_token_refused(app: &TestApp, token: &str, reason: &str) {
    let before = app.audit("http_token").await.len();
    let (status, body) = app.graphql_with_status(token, ME, Value::Null).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
    assert!(
        body["data"].is_null(),
        "no data for a refused token: {body}"
    );
    let rows = app.audit("http_token").await;
    assert_eq!(
        rows.len(),
        before + 1,
        "one audit row per refusal: {rows:?}"
    );
    assert_eq!(rows.last(), Some(&denied(reason)), "{rows:?}");
}

/// Asserts that `token` works on `POST /graphql` and belongs to `user_id`.
async fn assert_token_works(app: &TestApp, token: &str, user_id: Uuid) {
    let (status, body) = app.graphql_with_status(token, ME, Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["data"]["me"]["id"],
        json!(user_id.to_string()),
        "{body}"
    );
}

async fn devices_of(app: &TestApp, token: &str) -> Vec<Value> {
    let body = app.graphql(token, DEVICES, Value::Null).await;
    body["data"]["devices"]
        .as_array()
        .unwrap_or_else(|| panic!("devices in {body}"))
        .clone()
}

// ---------------------------------------------------------------------------------------------
// Dashboard login and session cookie

#[tokio::test]
async fn login_sets_a_protected_session_cookie_and_answers_the_user() {
    let app = spawn_app().await;
    let email = "reviewer@lossy.test";
    let user_id = app.create_user(email, "password-123").await;

    let response = app.post_login(email, "password-123").await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = header(&response, "set-cookie")
        .expect("a Set-Cookie header")
        .to_owned();
    let attributes: Vec<&str> = cookie.split(';').map(str::trim).collect();
    let (name, value) = attributes[0].split_once('=').expect("name=value");
    assert_eq!(name, "lossy_session");
    assert!(value.len() >= 32, "a long random cookie value: {cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(
            attributes.contains(&attribute),
            "{attribute} missing in {cookie}"
        );
    }
    assert!(
        !attributes.contains(&"Secure"),
        "no Secure on plain http: {cookie}"
    );

    let body: Value = response.json().await.expect("login body");
    assert_eq!(
        body["user"],
        json!({ "id": user_id, "email": email, "name": "reviewer", "role": "USER" })
    );

    let admin = app
        .post_login(lossy_tests::ADMIN_EMAIL, lossy_tests::ADMIN_PASSWORD)
        .await;
    assert_eq!(admin.status(), StatusCode::OK);
    let admin: Value = admin.json().await.expect("login body");
    assert_eq!(admin["user"]["role"], "ADMIN");

    // Emails are matched without regard to case and surrounding space.
    let shouted = app
        .post_login(" REVIEWER@lossy.test ", "password-123")
        .await;
    assert_eq!(shouted.status(), StatusCode::OK);

    assert_eq!(app.audit("login").await, vec![succeeded(); 3]);
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    app.create_user("known@lossy.test", "password-123").await;

    let (wrong_status, wrong_code, wrong_body) =
        rest_error(app.post_login("known@lossy.test", "password-999").await).await;
    let (unknown_status, unknown_code, unknown_body) =
        rest_error(app.post_login("nobody@lossy.test", "password-123").await).await;

    assert_eq!(wrong_status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_code, "UNAUTHENTICATED");
    assert_eq!(unknown_status, wrong_status);
    assert_eq!(unknown_code, wrong_code);
    assert_eq!(
        unknown_body, wrong_body,
        "the answers must not tell which emails exist"
    );
    assert_eq!(
        app.audit("login").await,
        vec![denied("bad_password"), denied("unknown_email")]
    );
}

#[tokio::test]
async fn malformed_login_bodies_are_400_with_a_rest_error() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    let url = app.url("/api/auth/login");

    let not_json = client
        .post(&url)
        .header("Content-Type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .expect("request");
    let no_content_type = client
        .post(&url)
        .body(r#"{"email":"a@b.c","password":"password-123"}"#)
        .send()
        .await
        .expect("request");
    let missing_field = client
        .post(&url)
        .json(&json!({ "email": "a@b.c" }))
        .send()
        .await
        .expect("request");

    for response in [not_json, no_content_type, missing_field] {
        let content_type = header(&response, "content-type")
            .unwrap_or_default()
            .to_owned();
        assert!(
            content_type.starts_with("application/json"),
            "{content_type}"
        );
        assert_rest_error(response, StatusCode::BAD_REQUEST, "BAD_USER_INPUT").await;
    }
    assert!(app.audit("login").await.is_empty(), "nothing was attempted");
}

#[tokio::test]
async fn after_logout_the_cookie_no_longer_works() {
    let app = spawn_app().await;
    let browser = app.new_browser().await;
    let cookie = browser.session_cookie(&app);
    // The cookie works before logging out.
    let before =
        post_extension_token_raw(&app, Some(&cookie), Some(&app.origin()), Uuid::new_v4()).await;
    assert_eq!(before.status(), StatusCode::OK);

    let logged_out = logout(&app, &browser).await;
    assert_eq!(logged_out.status(), StatusCode::NO_CONTENT);
    let removal = header(&logged_out, "set-cookie").unwrap_or_default();
    assert!(
        removal.starts_with("lossy_session=;") && removal.contains("Max-Age=0"),
        "the cookie is cleared: {removal}"
    );

    let response = app
        .post_extension_token(
            &browser,
            json!({ "deviceId": Uuid::new_v4(), "deviceName": "Test Chrome" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    // The old cookie value, replayed by hand, is dead on the server too.
    let replayed =
        post_extension_token_raw(&app, Some(&cookie), Some(&app.origin()), Uuid::new_v4()).await;
    assert_rest_error(replayed, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED").await;
    assert!(
        app.audit("extension_token")
            .await
            .contains(&denied("session_expired"))
    );
    assert_eq!(app.audit("logout").await, vec![succeeded()]);

    // Logging out twice is fine.
    let again = logout(&app, &browser).await;
    assert_eq!(again.status(), StatusCode::NO_CONTENT);
}

// ---------------------------------------------------------------------------------------------
// extension_token

#[tokio::test]
async fn extension_token_needs_the_session_cookie() {
    let app = spawn_app().await;
    let response = post_extension_token_raw(&app, None, Some(&app.origin()), Uuid::new_v4()).await;
    assert_rest_error(response, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED").await;
    assert_eq!(
        app.audit("extension_token").await,
        vec![denied("no_session")]
    );
}

#[tokio::test]
async fn extension_token_from_a_foreign_origin_is_forbidden_and_audited() {
    let app = spawn_app().await;
    let browser = app.new_browser().await;
    let cookie = browser.session_cookie(&app);
    let device_id = Uuid::new_v4();

    let foreign =
        post_extension_token_raw(&app, Some(&cookie), Some("https://evil.example"), device_id)
            .await;
    assert_rest_error(foreign, StatusCode::FORBIDDEN, "FORBIDDEN").await;

    // No Origin at all is refused as well: a cookie request must say where it comes from.
    let anonymous = post_extension_token_raw(&app, Some(&cookie), None, device_id).await;
    assert_rest_error(anonymous, StatusCode::FORBIDDEN, "FORBIDDEN").await;

    assert_eq!(
        app.audit("extension_token").await,
        vec![denied("origin_not_allowed"); 2]
    );
    // Neither registered the device.
    let tokens = app.extension_token(&browser).await;
    let devices = devices_of(&app, &tokens.token).await;
    assert!(
        devices
            .iter()
            .all(|d| d["id"] != json!(device_id.to_string())),
        "{devices:?}"
    );
}

#[tokio::test]
async fn extension_token_answers_the_documented_shape() {
    let app = spawn_app().await;
    let browser = app.new_browser().await;
    let device_id = Uuid::new_v4();
    let requested_at = Utc::now();
    let response = app
        .post_extension_token(
            &browser,
            json!({ "deviceId": device_id, "deviceName": "Test Chrome" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("token body");

    let mut keys: Vec<&str> = body
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        vec![
            "deviceId",
            "expiresAt",
            "protocolVersion",
            "refreshExpiresAt",
            "refreshToken",
            "token"
        ]
    );
    assert_eq!(
        body["token"].as_str().map(|t| t.split('.').count()),
        Some(3)
    );
    assert!(
        body["refreshToken"].as_str().is_some_and(|t| t.len() >= 32),
        "{body}"
    );
    assert_ne!(body["refreshToken"], body["token"]);
    assert_eq!(body["protocolVersion"], json!(2));
    assert_eq!(body["deviceId"], json!(device_id.to_string()));

    let expires_at = DateTime::parse_from_rfc3339(body["expiresAt"].as_str().expect("a string"))
        .expect("expiresAt is RFC 3339")
        .with_timezone(&Utc);
    let lifetime = (expires_at - requested_at).num_seconds();
    assert!((895..=905).contains(&lifetime), "expires in {lifetime} s");
    let refresh_expires_at =
        DateTime::parse_from_rfc3339(body["refreshExpiresAt"].as_str().expect("a string"))
            .expect("refreshExpiresAt is RFC 3339")
            .with_timezone(&Utc);
    assert_eq!((refresh_expires_at - requested_at).num_days(), 30);

    assert_eq!(app.audit("extension_token").await, vec![succeeded()]);
    assert_token_works(
        &app,
        body["token"].as_str().expect("token"),
        browser.user_id,
    )
    .await;
}

#[tokio::test]
async fn the_access_token_carries_the_documented_claims() {
    let app = spawn_app().await;
    let (browser, tokens) = app.new_user_with_token().await;
    let claims: Value =
        jsonwebtoken::dangerous::insecure_decode_claims(&tokens.token).expect("a decodable JWT");
    let header = jsonwebtoken::decode_header(&tokens.token).expect("a JWT header");
    assert_eq!(header.alg, Algorithm::HS256);

    assert_eq!(claims["sub"], json!(browser.user_id.to_string()));
    assert_eq!(claims["did"], json!(tokens.device_id.to_string()));
    assert_eq!(claims["pv"], json!(2));
    assert_eq!(claims["iss"], "lossy");
    assert_eq!(claims["aud"], "lossy-api");
    let iat = claims["iat"].as_i64().expect("iat");
    let exp = claims["exp"].as_i64().expect("exp");
    assert_eq!(exp - iat, 900);
    assert!((iat - Utc::now().timestamp()).abs() <= 5, "iat is now");
    let expires_at = DateTime::parse_from_rfc3339(&tokens.expires_at).expect("RFC 3339");
    assert_eq!(expires_at.timestamp(), exp, "expiresAt is the exp claim");
    let jti = claims["jti"].as_str().expect("jti");
    Uuid::parse_str(jti).expect("jti is a UUID");

    let again = app.extension_token_for(&browser, tokens.device_id).await;
    let again: Value = jsonwebtoken::dangerous::insecure_decode_claims(&again.token).expect("JWT");
    assert_ne!(again["jti"], claims["jti"], "every token has its own jti");
}

#[tokio::test]
async fn the_token_lifetime_is_configuration() {
    let app = spawn_app_with(|c| c.token_ttl_secs = 120).await;
    let (_, tokens) = app.new_user_with_token().await;
    let claims: Value =
        jsonwebtoken::dangerous::insecure_decode_claims(&tokens.token).expect("JWT");
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        120
    );
}

#[tokio::test]
async fn a_device_id_of_another_account_is_forbidden() {
    let app = spawn_app().await;
    let alice = app.new_browser().await;
    let bob = app.new_browser().await;
    let alices = app.extension_token(&alice).await;

    let response = app
        .post_extension_token(
            &bob,
            json!({ "deviceId": alices.device_id, "deviceName": "Bob's Chrome" }),
        )
        .await;
    assert_rest_error(response, StatusCode::FORBIDDEN, "FORBIDDEN").await;
    assert_eq!(
        app.audit("extension_token").await.last(),
        Some(&denied("device_owner_mismatch"))
    );

    // Alice's device is untouched: same owner, same name, tokens still good.
    assert_token_works(&app, &alices.token, alice.user_id).await;
    let devices = devices_of(&app, &alices.token).await;
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0]["name"], "Test Chrome");
    assert_eq!(devices[0]["userId"], json!(alice.user_id.to_string()));
    let refreshed = app.refresh(alices.device_id, &alices.refresh_token).await;
    assert_eq!(refreshed.status(), StatusCode::OK);
}

// ---------------------------------------------------------------------------------------------
// Refresh rotation

#[tokio::test]
async fn refresh_rotates_the_pair() {
    let app = spawn_app().await;
    let (browser, first) = app.new_user_with_token().await;

    let response = app.refresh(first.device_id, &first.refresh_token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let second: Tokens = response.json().await.expect("token body");
    assert_ne!(second.token, first.token);
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(second.device_id, first.device_id);
    assert_eq!(second.protocol_version, 2);
    DateTime::parse_from_rfc3339(&second.expires_at).expect("RFC 3339");
    assert_token_works(&app, &second.token, browser.user_id).await;

    // The new refresh token rotates again.
    let response = app.refresh(second.device_id, &second.refresh_token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let third: Tokens = response.json().await.expect("token body");
    assert_ne!(third.refresh_token, second.refresh_token);

    // The old one is dead.
    let old = app.refresh(first.device_id, &first.refresh_token).await;
    assert_rest_error(old, StatusCode::FORBIDDEN, "DEVICE_REVOKED").await;

    assert_eq!(
        app.audit("refresh").await,
        vec![succeeded(), succeeded(), denied("refresh_reuse")]
    );
}

#[tokio::test]
async fn reusing_a_spent_refresh_token_revokes_the_device() {
    let app = spawn_app().await;
    let (browser, original) = app.new_user_with_token().await;
    let response = app
        .refresh(original.device_id, &original.refresh_token)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let rotated: Tokens = response.json().await.expect("token body");
    assert_token_works(&app, &original.token, browser.user_id).await;

    // Someone replays the spent token.
    let replayed = app
        .refresh(original.device_id, &original.refresh_token)
        .await;
    assert_rest_error(replayed, StatusCode::FORBIDDEN, "DEVICE_REVOKED").await;
    assert_eq!(
        app.audit("refresh").await.last(),
        Some(&denied("refresh_reuse"))
    );

    // Every token of the device is dead: the access tokens from before...
    assert_token_refused(&app, &original.token, "revoked").await;
    assert_token_refused(&app, &rotated.token, "revoked").await;
    // ...the live refresh token...
    let live = app.refresh(rotated.device_id, &rotated.refresh_token).await;
    assert_rest_error(live, StatusCode::FORBIDDEN, "DEVICE_REVOKED").await;
    // ...and the device id cannot be registered again.
    let response = app
        .post_extension_token(
            &browser,
            json!({ "deviceId": original.device_id, "deviceName": "Test Chrome" }),
        )
        .await;
    assert_rest_error(response, StatusCode::FORBIDDEN, "DEVICE_REVOKED").await;

    // The user signs in on a new device id and carries on.
    let fresh = app.extension_token(&browser).await;
    assert_token_works(&app, &fresh.token, browser.user_id).await;
    let devices = devices_of(&app, &fresh.token).await;
    let revoked = devices
        .iter()
        .find(|d| d["id"] == json!(original.device_id.to_string()))
        .expect("the revoked device is listed");
    assert!(revoked["revokedAt"].is_string(), "{revoked}");
}

#[tokio::test]
async fn a_wrong_refresh_token_is_401_and_does_not_revoke() {
    let app = spawn_app().await;
    let (browser, tokens) = app.new_user_with_token().await;

    for guess in ["not-a-token", &"A".repeat(43), ""] {
        let response = app.refresh(tokens.device_id, guess).await;
        assert_rest_error(response, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED").await;
    }
    assert_eq!(
        app.audit("refresh").await,
        vec![denied("invalid_refresh_token"); 3]
    );

    // The device is alive: its access token works and its real refresh token rotates.
    assert_token_works(&app, &tokens.token, browser.user_id).await;
    let response = app.refresh(tokens.device_id, &tokens.refresh_token).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn refresh_for_an_unknown_device_is_401() {
    let app = spawn_app().await;
    let (_, tokens) = app.new_user_with_token().await;
    // A real refresh token, presented for a device id that does not exist.
    let response = app.refresh(Uuid::new_v4(), &tokens.refresh_token).await;
    assert_rest_error(response, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED").await;
    assert_eq!(app.audit("refresh").await, vec![denied("unknown_device")]);
    // Nothing happened to the real device.
    let response = app.refresh(tokens.device_id, &tokens.refresh_token).await;
    assert_eq!(response.status(), StatusCode::OK);
}

// ---------------------------------------------------------------------------------------------
// Bearer tokens on POST /graphql

#[tokio::test]
async fn an_expired_token_is_refused() {
    let app = spawn_app().await;
    let (browser, tokens) = app.new_user_with_token().await;
    let an_hour_ago = Utc::now() - chrono::Duration::hours(1);
    let expired = app.mint_token(browser.user_id, tokens.device_id, an_hour_ago);
    assert_token_refused(&app, &expired, "expired").await;
    // Minted now, the same claims work: only the time was wrong.
    let fresh = app.mint_token(browser.user_id, tokens.device_id, Utc::now());
    assert_token_works(&app, &fresh, browser.user_id).await;
}

#[tokio::test]
async fn a_hand_built_token_with_the_server_secret_works() {
    // The control for the forgeries below: claims built by hand and signed with the server's
    // secret are accepted, so each refusal is due to the one thing changed.
    let target = target().await;
    let token = target.sign(Algorithm::HS256, TEST_JWT_SECRET);
    assert_token_works(&target.app, &token, target.browser.user_id).await;
}

#[tokio::test]
async fn a_token_signed_with_another_secret_is_refused() {
    let target = target().await;
    let forged = target.sign(Algorithm::HS256, "another-secret-another-secret-another!");
    assert_token_refused(&target.app, &forged, "bad_signature").await;

    // A valid token with its payload swapped for another user's keeps a stale signature.
    let other = target.app.new_browser().await;
    let parts: Vec<&str> = target.tokens.token.split('.').collect();
    let payload = base64url(
        claims(other.user_id, target.tokens.device_id)
            .to_string()
            .as_bytes(),
    );
    let tampered = format!("{}.{payload}.{}", parts[0], parts[2]);
    assert_token_refused(&target.app, &tampered, "bad_signature").await;
}

#[tokio::test]
async fn an_unsigned_alg_none_token_is_refused() {
    let target = target().await;
    let header = base64url(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = base64url(target.claims.to_string().as_bytes());
    let unsigned = format!("{header}.{payload}.");
    assert_token_refused(&target.app, &unsigned, "bad_algorithm").await;
}

#[tokio::test]
async fn a_token_with_another_hmac_algorithm_is_refused() {
    let target = target().await;
    let token = target.sign(Algorithm::HS512, TEST_JWT_SECRET);
    assert_token_refused(&target.app, &token, "bad_algorithm").await;
}

#[tokio::test]
async fn a_token_for_another_audience_is_refused() {
    let mut target = target().await;
    target.claims["aud"] = json!("some-other-api");
    let token = target.sign(Algorithm::HS256, TEST_JWT_SECRET);
    assert_token_refused(&target.app, &token, "wrong_audience").await;
}

#[tokio::test]
async fn a_token_from_another_issuer_is_refused() {
    let mut target = target().await;
    target.claims["iss"] = json!("someone-else");
    let token = target.sign(Algorithm::HS256, TEST_JWT_SECRET);
    assert_token_refused(&target.app, &token, "wrong_issuer").await;
}

#[tokio::test]
async fn garbage_and_malformed_bearer_tokens_are_refused() {
    let app = spawn_app().await;
    assert_token_refused(&app, "not.a.jwt", "malformed").await;
    assert_token_refused(&app, "garbage", "malformed").await;

    // Not a bearer scheme at all: 401 as well.
    let response = reqwest::Client::new()
        .post(app.url("/graphql"))
        .header("Authorization", "Basic YWRtaW46YWRtaW4=")
        .json(&json!({ "query": ME }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.expect("body");
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn the_token_of_a_revoked_device_is_refused() {
    let app = spawn_app().await;
    let (browser, tokens) = app.new_user_with_token().await;
    assert_token_works(&app, &tokens.token, browser.user_id).await;
    let revoked = app
        .graphql(&tokens.token, REVOKE, json!({ "id": tokens.device_id }))
        .await;
    assert_eq!(
        revoked["data"]["revokeDevice"]["revokeReason"], "revoked_by_user",
        "{revoked}"
    );
    assert_token_refused(&app, &tokens.token, "revoked").await;
    assert_eq!(app.audit("device_revoked").await, vec![succeeded()]);
}

#[tokio::test]
async fn a_token_naming_another_users_device_is_refused() {
    let app = spawn_app().await;
    let (alice, _) = app.new_user_with_token().await;
    let (bob, bobs) = app.new_user_with_token().await;
    // Correctly signed, but Alice's id with Bob's device.
    let token = app.mint_token(alice.user_id, bobs.device_id, Utc::now());
    assert_token_refused(&app, &token, "device_owner_mismatch").await;
    // A device that was never registered.
    let token = app.mint_token(alice.user_id, Uuid::new_v4(), Utc::now());
    assert_token_refused(&app, &token, "unknown_device").await;
    assert_token_works(&app, &bobs.token, bob.user_id).await;
}

#[tokio::test]
async fn no_credentials_run_anonymously_and_user_fields_say_unauthenticated() {
    let app = spawn_app().await;
    let response = reqwest::Client::new()
        .post(app.url("/graphql"))
        .json(&json!({ "query": "{ me { id } }" }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("body");
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
    assert!(app.audit("http_token").await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Devices and accounts over GraphQL

#[tokio::test]
async fn me_and_devices_with_a_valid_token() {
    let app = spawn_app().await;
    let (browser, first, second) = app.new_user_with_two_devices().await;
    let other = app.new_user_with_token().await.1;

    let me = app
        .graphql(&first.token, "{ me { id email name role } }", Value::Null)
        .await;
    assert_eq!(
        me["data"]["me"],
        json!({
            "id": browser.user_id,
            "email": browser.email,
            "name": browser.email.split('@').next().unwrap(),
            "role": "USER",
        }),
        "{me}"
    );

    let devices = devices_of(&app, &first.token).await;
    let mut ids: Vec<String> = devices
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    let mut expected = vec![first.device_id.to_string(), second.device_id.to_string()];
    expected.sort();
    assert_eq!(ids, expected, "only this user's devices: {devices:?}");
    assert!(!ids.contains(&other.device_id.to_string()));
    for device in &devices {
        let is_first = device["id"] == json!(first.device_id.to_string());
        assert_eq!(device["current"], json!(is_first), "{device}");
        assert_eq!(device["userId"], json!(browser.user_id.to_string()));
        assert_eq!(device["name"], "Test Chrome");
        assert!(device["revokedAt"].is_null());
    }
}

#[tokio::test]
async fn revoking_another_users_device_is_not_found_and_changes_nothing() {
    let app = spawn_app().await;
    let (_, mallory) = app.new_user_with_token().await;
    let (victim, victims) = app.new_user_with_token().await;

    let answer = app
        .graphql(&mallory.token, REVOKE, json!({ "id": victims.device_id }))
        .await;
    assert_eq!(error_code(&answer), Some("NOT_FOUND"), "{answer}");
    assert!(answer["data"].is_null(), "{answer}");
    // Indistinguishable from a device that does not exist.
    let missing = app
        .graphql(&mallory.token, REVOKE, json!({ "id": Uuid::new_v4() }))
        .await;
    assert_eq!(error_code(&missing), Some("NOT_FOUND"));
    assert_eq!(
        missing["errors"][0]["message"],
        answer["errors"][0]["message"]
    );

    assert_token_works(&app, &victims.token, victim.user_id).await;
    let devices = devices_of(&app, &victims.token).await;
    assert!(devices[0]["revokedAt"].is_null(), "{devices:?}");
    assert!(app.audit("device_revoked").await.is_empty());
    let refreshed = app.refresh(victims.device_id, &victims.refresh_token).await;
    assert_eq!(refreshed.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_admin_can_revoke_any_device() {
    let app = spawn_app().await;
    let (user, tokens) = app.new_user_with_token().await;
    let admin = app.admin_token().await;

    let answer = app
        .graphql(&admin, REVOKE, json!({ "id": tokens.device_id }))
        .await;
    let device = &answer["data"]["revokeDevice"];
    assert_eq!(
        device["id"],
        json!(tokens.device_id.to_string()),
        "{answer}"
    );
    assert!(device["revokedAt"].is_string(), "{answer}");
    assert_token_refused(&app, &tokens.token, "revoked").await;
    let refreshed = app.refresh(tokens.device_id, &tokens.refresh_token).await;
    assert_rest_error(refreshed, StatusCode::FORBIDDEN, "DEVICE_REVOKED").await;

    // The user's other devices are untouched.
    let browser = app.login(&user.email, "password-123").await;
    let other = app.extension_token(&browser).await;
    assert_token_works(&app, &other.token, user.user_id).await;
}

#[tokio::test]
async fn only_admins_create_users() {
    let app = spawn_app().await;
    let (_, user) = app.new_user_with_token().await;
    let input = json!({ "input": { "email": "new@lossy.test", "password": "password-456", "name": "New" } });

    let refused = app.graphql(&user.token, CREATE_USER, input.clone()).await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
    assert_eq!(
        app.post_login("new@lossy.test", "password-456")
            .await
            .status(),
        StatusCode::UNAUTHORIZED,
        "the refused call created nothing"
    );

    let admin = app.admin_token().await;
    let created = app.graphql(&admin, CREATE_USER, input).await;
    let user = &created["data"]["createUser"];
    assert_eq!(user["email"], "new@lossy.test", "{created}");
    assert_eq!(user["name"], "New");
    assert_eq!(user["role"], "USER");
    let browser = app.login("new@lossy.test", "password-456").await;
    assert_eq!(json!(browser.user_id.to_string()), user["id"]);
    assert_eq!(app.audit("user_created").await, vec![succeeded()]);

    let admin_input = json!({ "input": { "email": "boss@lossy.test", "password": "password-789", "role": "ADMIN" } });
    let created = app.graphql(&admin, CREATE_USER, admin_input).await;
    assert_eq!(created["data"]["createUser"]["role"], "ADMIN", "{created}");
}

#[tokio::test]
async fn create_user_refuses_a_taken_email_on_the_email_field() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.create_user("taken@lossy.test", "password-123").await;
    for email in ["taken@lossy.test", " Taken@LOSSY.test "] {
        let answer = app
            .graphql(
                &admin,
                CREATE_USER,
                json!({ "input": { "email": email, "password": "password-456" } }),
            )
            .await;
        assert_bad_user_input(&answer, "email", email);
    }
    // The original account keeps its password.
    app.login("taken@lossy.test", "password-123").await;
    assert_eq!(
        app.post_login("taken@lossy.test", "password-456")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );

    let short = app
        .graphql(
            &admin,
            CREATE_USER,
            json!({ "input": { "email": "short@lossy.test", "password": "short" } }),
        )
        .await;
    assert_bad_user_input(&short, "password", "a short password");
}

// ---------------------------------------------------------------------------------------------
// Rate limits and the cross-site rule

#[tokio::test]
async fn logins_are_rate_limited_per_address() {
    let app = spawn_app_with(|c| c.login_rate_per_address = 2).await;
    let email = "limited@lossy.test";
    app.create_user(email, "password-123").await;
    assert_eq!(
        app.post_login(email, "password-123").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.post_login(email, "wrong-password").await.status(),
        StatusCode::UNAUTHORIZED
    );

    // The right password does not get past the limit either.
    let limited = app.post_login(email, "password-123").await;
    assert_rest_error(limited, StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED").await;
    assert_eq!(
        app.audit("login").await,
        vec![succeeded(), denied("bad_password"), denied("rate_limited")]
    );
}

#[tokio::test]
async fn cookie_requests_to_graphql_must_come_from_an_allowed_origin() {
    let app = spawn_app().await;
    let browser: Browser = app.new_browser().await;
    let query = json!({ "query": "{ me { email } }" });

    let own = cookie_graphql(&app, &browser, Some(&app.origin()), &query).await;
    assert_eq!(own.status(), StatusCode::OK);
    let body: Value = own.json().await.expect("body");
    assert_eq!(body["data"]["me"]["email"], json!(browser.email), "{body}");

    for origin in [Some("https://evil.example"), None] {
        let response = cookie_graphql(&app, &browser, origin, &query).await;
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "origin {origin:?}"
        );
        let body: Value = response.json().await.expect("body");
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
        assert!(body["data"].is_null(), "{body}");
    }

    // A cross-site mutation does not happen.
    let mutation =
        json!({ "query": "mutation { updateSettings(input: { cooldownMs: 900 }) { version } }" });
    let write = cookie_graphql(&app, &browser, Some("https://evil.example"), &mutation).await;
    assert_eq!(write.status(), StatusCode::FORBIDDEN);
    let read = json!({ "query": "{ settings { cooldownMs version } }" });
    let settings = cookie_graphql(&app, &browser, Some(&app.origin()), &read).await;
    let settings: Value = settings.json().await.expect("body");
    assert_eq!(
        settings["data"]["settings"],
        json!({ "cooldownMs": 500, "version": 1 })
    );
}

#[tokio::test]
async fn status_says_first_sign_in_until_someone_signs_in() {
    let app = spawn_app().await;
    let status = || async {
        let body: Value = reqwest::get(app.url("/api/auth/status"))
            .await
            .expect("status request")
            .json()
            .await
            .expect("a JSON status");
        body["firstSignIn"].as_bool()
    };
    assert_eq!(status().await, Some(true), "a fresh install");

    let refused = app.post_login(ADMIN_EMAIL, "not the password").await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        status().await,
        Some(true),
        "a refused sign-in changes nothing"
    );

    app.admin_browser().await;
    assert_eq!(status().await, Some(false), "after the first sign-in");
}
