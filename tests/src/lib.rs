//! Test support: start the real server on a free port with its own database, and talk to it
//! the way clients do (HTTP with cookies, bearer tokens, raw graphql-transport-ws frames).
//!
//! Each test gets its own data folder and database: SQLite in a temporary folder, or, when
//! `LOSSY_TEST_DATABASE_URL` names a PostgreSQL server, a fresh database created on it.
//! Set `TEST_LOG=1` to see the server's logs.

pub mod extension;
pub mod process;
pub mod ws;

use std::net::SocketAddr;
use std::time::Duration;

use lossy_api::app::Application;
use lossy_api::config::{Config, Secret};
use lossy_api::state::AppState;
use serde_json::{Value, json};
use tokio::sync::oneshot;
use uuid::Uuid;

pub const ADMIN_EMAIL: &str = "admin@lossy.test";
pub const ADMIN_PASSWORD: &str = "admin-password-123";

pub struct TestApp {
    pub addr: SocketAddr,
    pub state: AppState,
    config: Config,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    _data_dir: tempfile::TempDir,
}

/// A token pair as `/api/auth/extension_token` answers it.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tokens {
    pub token: String,
    pub expires_at: String,
    pub refresh_token: String,
    pub protocol_version: u8,
    pub device_id: Uuid,
}

/// A signed-in dashboard user: a cookie-keeping HTTP client.
pub struct Browser {
    pub client: reqwest::Client,
    pub cookies: std::sync::Arc<reqwest::cookie::Jar>,
    pub user_id: Uuid,
    pub email: String,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// A server that serves the web app from `web_dir` (`LOSSY_WEB_DIR`) instead of the copy
/// embedded at build time, so that a test sees exactly the files it wrote there.
pub async fn spawn_app_with_web_dir(web_dir: &std::path::Path) -> TestApp {
    spawn_app_with(|config| config.web_dir = Some(web_dir.to_path_buf())).await
}

pub async fn spawn_app_with(customize: impl FnOnce(&mut Config)) -> TestApp {
    if std::env::var_os("TEST_LOG").is_some() {
        lossy_api::observability::init_logging(lossy_api::config::LogFormat::Text);
    }
    let data_dir = tempfile::tempdir().expect("temporary data folder");
    let mut config = Config::local(data_dir.path().to_path_buf());
    config.admin_email = ADMIN_EMAIL.into();
    config.admin_password = Some(Secret::new(ADMIN_PASSWORD));
    config.jwt_secret = Some(Secret::new("test-secret-test-secret-test-secret!"));
    // Tests open many sockets and log in often from one address.
    config.join_rate_per_address = 10_000;
    config.login_rate_per_address = 10_000;
    if let Some(url) = postgres_database().await {
        config.storage.database_url = Some(Secret::new(url));
    }
    customize(&mut config);
    start(config, data_dir).await
}

async fn start(config: Config, data_dir: tempfile::TempDir) -> TestApp {
    let app = Application::build(config.clone())
        .await
        .expect("server starts");
    let addr = app.local_addr();
    let state = app.state().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));
    TestApp {
        addr,
        state,
        config,
        stop: Some(stop),
        server: Some(server),
        _data_dir: data_dir,
    }
}

/// A fresh database on the PostgreSQL server named by `LOSSY_TEST_DATABASE_URL`, if any.
pub async fn postgres_database() -> Option<String> {
    use sea_orm::ConnectionTrait;
    let base = std::env::var("LOSSY_TEST_DATABASE_URL").ok()?;
    let name = format!("lossy_test_{}", Uuid::new_v4().simple());
    let admin = sea_orm::Database::connect(base.as_str())
        .await
        .expect("connect to LOSSY_TEST_DATABASE_URL");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create a test database");
    let _ = admin.close().await;
    let (prefix, _) = base.rsplit_once('/').expect("a database URL has a path");
    Some(format!("{prefix}/{name}"))
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The server's `GET /metrics` text (the recorder is the test process's own, shared by the
    /// tests running beside this one).
    pub async fn metrics(&self) -> String {
        reqwest::get(self.url("/metrics"))
            .await
            .expect("GET /metrics")
            .text()
            .await
            .expect("the /metrics body")
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/graphql", self.addr)
    }

    /// The origin a browser on the server's own pages sends.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Asks the server to stop, the way Ctrl-C does, without waiting for it.
    pub fn ask_to_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Stops the server the way Ctrl-C does and waits for it.
    pub async fn shutdown(mut self) {
        self.stop_server().await;
    }

    /// Another node on this server's database, named `node`, with the same signing secret:
    /// what a second `lossy serve` behind a load balancer is. Only PostgreSQL has several
    /// nodes; on SQLite this answers `None`, and tests of several nodes say they were skipped.
    pub async fn spawn_node(&self, node: &str) -> Option<TestApp> {
        self.config.storage.database_url.as_ref()?;
        let mut config = self.config.clone();
        config.node_id = Some(node.to_owned());
        config.bind = "127.0.0.1:0".parse().expect("an address");
        let data_dir = tempfile::tempdir().expect("temporary data folder");
        config.storage.data_dir = data_dir.path().to_path_buf();
        Some(start(config, data_dir).await)
    }

    /// Stops this server and starts a new one on the same data folder and database (on a new
    /// port), as after a crash or a deploy.
    pub async fn restart(mut self) -> TestApp {
        self.stop_server().await;
        let data_dir = std::mem::replace(
            &mut self._data_dir,
            tempfile::tempdir().expect("temporary folder"),
        );
        start(self.config.clone(), data_dir).await
    }

    async fn stop_server(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server
                .await
                .expect("server task")
                .expect("server stops cleanly");
        }
    }

    /// Creates a user directly (as `lossy user add` does).
    pub async fn create_user(&self, email: &str, password: &str) -> Uuid {
        use lossy_api::auth::password::Password;
        use lossy_api::auth::users::{self, Email, NewUser};
        let new = NewUser {
            email: Email::parse(email).unwrap_or_else(|_| panic!("invalid email {email}")),
            password: Password::parse(password).unwrap_or_else(|_| panic!("invalid password")),
            name: String::new(),
            role: lossy_api::auth::Role::User,
        };
        users::create(&self.state.db, new)
            .await
            .unwrap_or_else(|e| panic!("user not created: {e:?}"))
            .id
    }

    /// A new user, signed in.
    pub async fn new_browser(&self) -> Browser {
        let email = format!("user-{}@lossy.test", Uuid::new_v4().simple());
        self.create_user(&email, "password-123").await;
        self.login(&email, "password-123").await
    }

    pub async fn admin_browser(&self) -> Browser {
        self.login(ADMIN_EMAIL, ADMIN_PASSWORD).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Browser {
        let cookies = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(cookies.clone())
            .build()
            .expect("http client");
        let response = self.post_login_from(&client, email, password).await;
        assert_eq!(response.status(), 200, "login of {email} failed");
        let body: Value = response.json().await.expect("login body");
        let user_id = body["user"]["id"]
            .as_str()
            .and_then(|id| Uuid::parse_str(id).ok())
            .expect("user id in login answer");
        Browser {
            client,
            cookies,
            user_id,
            email: email.to_owned(),
        }
    }

    /// `POST /api/auth/login` without a cookie jar; answers the raw response.
    pub async fn post_login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_login_from(&reqwest::Client::new(), email, password)
            .await
    }

    async fn post_login_from(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        client
            .post(self.url("/api/auth/login"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .expect("login request")
    }

    /// `POST /api/auth/extension_token` for a new device of `browser`'s user.
    pub async fn extension_token(&self, browser: &Browser) -> Tokens {
        self.extension_token_for(browser, Uuid::new_v4()).await
    }

    pub async fn extension_token_for(&self, browser: &Browser, device_id: Uuid) -> Tokens {
        let response = self
            .post_extension_token(
                browser,
                json!({ "deviceId": device_id, "deviceName": "Test Chrome" }),
            )
            .await;
        assert_eq!(response.status(), 200, "extension_token failed");
        response.json().await.expect("token body")
    }

    pub async fn post_extension_token(&self, browser: &Browser, body: Value) -> reqwest::Response {
        browser
            .client
            .post(self.url("/api/auth/extension_token"))
            .header("Origin", self.origin())
            .json(&body)
            .send()
            .await
            .expect("extension_token request")
    }

    pub async fn refresh(&self, device_id: Uuid, refresh_token: &str) -> reqwest::Response {
        reqwest::Client::new()
            .post(self.url("/api/auth/refresh"))
            .json(&json!({ "deviceId": device_id, "refreshToken": refresh_token }))
            .send()
            .await
            .expect("refresh request")
    }

    /// `POST /graphql` with a bearer token; answers the whole JSON body.
    pub async fn graphql(&self, token: &str, query: &str, variables: Value) -> Value {
        self.graphql_with_status(token, query, variables).await.1
    }

    /// `POST /graphql` with a bearer token; answers the HTTP status and the JSON body.
    pub async fn graphql_with_status(
        &self,
        token: &str,
        query: &str,
        variables: Value,
    ) -> (reqwest::StatusCode, Value) {
        post_graphql(&self.url("/graphql"), token, query, variables).await
    }

    /// Audit rows of one kind, oldest first, as (outcome, reason).
    pub async fn audit(&self, kind: &str) -> Vec<(String, String)> {
        use lossy_entities::auth_events;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        auth_events::Entity::find()
            .filter(auth_events::Column::Kind.eq(kind))
            .order_by_asc(auth_events::Column::OccurredAt)
            .all(&self.state.db)
            .await
            .expect("audit rows")
            .into_iter()
            .map(|row| (row.outcome, row.reason))
            .collect()
    }
}

impl Browser {
    /// The `Cookie` header this browser sends to `app`.
    pub fn session_cookie(&self, app: &TestApp) -> String {
        use reqwest::cookie::CookieStore;
        let url = app.url("/").parse().expect("server url");
        self.cookies
            .cookies(&url)
            .and_then(|v| v.to_str().ok().map(str::to_owned))
            .expect("a session cookie after login")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Every setting of PROTOCOL.md 5.5 with its default, as the handshake `config` names them.
pub fn protocol_defaults() -> Value {
    json!({
        "cooldownMs": 500,
        "mergeWithinMs": 250,
        "minSpeechMs": 200,
        "maxSpeechMs": 15000,
        "autoPauseVideo": true,
        "autoResumeDelayMs": 500,
        "idleStopMs": 180000,
        "heartbeatIntervalMs": 5000,
        "heartbeatTimeoutMs": 15000,
        "maxRestarts": 3,
        "restartWindowMs": 60000,
        "sessionTtlMs": 600000,
        "startThreshold": 0.6,
        "endThreshold": 0.35,
        "minSilenceMs": 650,
        "preRollMs": 500,
        "transcriptionMode": "ON_DEVICE",
        "transcriptionEndpoint": null,
        "transcriptionModel": "whisper-base.en",
    })
}

/// The five feature flags of PROTOCOL.md section 4.
pub const FLAGS: [&str; 5] = [
    "server_voice_session",
    "server_notes_channel",
    "server_video_context",
    "server_telemetry",
    "server_platform_adapters",
];

/// The `features` map of a new user: every flag on.
pub fn all_flags_on() -> Value {
    Value::Object(
        FLAGS
            .iter()
            .map(|f| ((*f).to_owned(), json!(true)))
            .collect(),
    )
}

/// An audit row as [`TestApp::audit`] answers it for a refusal with `reason`.
pub fn denied(reason: &str) -> (String, String) {
    ("denied".to_owned(), reason.to_owned())
}

/// An audit row as [`TestApp::audit`] answers it for a success.
pub fn succeeded() -> (String, String) {
    ("success".to_owned(), "ok".to_owned())
}

/// The value of the `name` header of `response`, if it has one that is text.
pub fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

/// The `extensions.code` of the first error in a GraphQL answer.
pub fn error_code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

/// Asserts that a GraphQL answer refuses its input as `BAD_USER_INPUT` on `field`; `case`
/// names the input in the failure message.
pub fn assert_bad_user_input(body: &Value, field: &str, case: impl std::fmt::Display) {
    assert_eq!(error_code(body), Some("BAD_USER_INPUT"), "{case}: {body}");
    assert_eq!(
        body["errors"][0]["extensions"]["field"],
        json!(field),
        "{case}: {body}"
    );
}

/// `POST` a GraphQL request to `url` with a bearer token; answers the HTTP status and the JSON
/// body.
pub async fn post_graphql(
    url: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> (reqwest::StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(url)
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("graphql request");
    let status = response.status();
    (status, response.json().await.expect("graphql body"))
}

/// A server tests send GraphQL to: one started in this process ([`TestApp`]) or one run as
/// its own process ([`process::ServerProcess`]), so helpers that only ask need not care which.
pub trait GraphqlServer {
    /// `POST /graphql` with a bearer token; answers the JSON body.
    fn graphql(
        &self,
        token: &str,
        query: &str,
        variables: Value,
    ) -> impl std::future::Future<Output = Value> + Send;
}

impl GraphqlServer for TestApp {
    async fn graphql(&self, token: &str, query: &str, variables: Value) -> Value {
        TestApp::graphql(self, token, query, variables).await
    }
}

/// Waits up to `limit` for `condition` to hold, checking every 20 ms.
pub async fn eventually<F, Fut>(limit: Duration, mut condition: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + limit;
    while tokio::time::Instant::now() < deadline {
        if condition().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

/// The JWT secret `spawn_app` configures (kept equal to the one set there), for tests that
/// build tokens by hand.
pub const TEST_JWT_SECRET: &str = "test-secret-test-secret-test-secret!";

/// Base64url without padding, as JWT segments are written.
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sextets = [(n >> 18) & 63, (n >> 12) & 63, (n >> 6) & 63, n & 63];
        for sextet in &sextets[..=chunk.len()] {
            out.push(char::from(ALPHABET[*sextet as usize]));
        }
    }
    out
}

impl TestApp {
    /// A new signed-in user and a device token for it.
    pub async fn new_user_with_token(&self) -> (Browser, Tokens) {
        let browser = self.new_browser().await;
        let tokens = self.extension_token(&browser).await;
        (browser, tokens)
    }

    /// A new signed-in user and device tokens for two of its devices.
    pub async fn new_user_with_two_devices(&self) -> (Browser, Tokens, Tokens) {
        let (browser, first) = self.new_user_with_token().await;
        let second = self.extension_token(&browser).await;
        (browser, first, second)
    }

    /// A device token of the admin.
    pub async fn admin_token(&self) -> String {
        let admin = self.admin_browser().await;
        self.extension_token(&admin).await.token
    }

    /// An access token for `user_id` on `device_id` (protocol version 2), minted with the
    /// server's own key as if it were `issued_at`.
    pub fn mint_token(
        &self,
        user_id: Uuid,
        device_id: Uuid,
        issued_at: chrono::DateTime<chrono::Utc>,
    ) -> String {
        self.state
            .tokens
            .mint(user_id, device_id, 2, issued_at)
            .expect("mint")
            .token
    }
}

/// An acknowledged socket for `token` with the subscription `query` in place under `id`.
pub async fn subscribed_socket(app: &TestApp, token: &str, id: &str, query: &str) -> ws::RawSocket {
    let mut socket = ws::RawSocket::connect(&app.ws_url(), None).await;
    socket.init(token).await;
    let early = subscribe_and_wait(&mut socket, id, query).await;
    assert!(early.is_empty(), "subscription {id} sent {early:?} at once");
    socket
}

/// Subscribes with `query` on `socket`, then proves the subscription is in place: a query sent
/// after it on the same socket runs only once it is (PROTOCOL.md 8.5), so its answer is the
/// signal. Answers the subscription's own messages that came first; asserts that nothing else
/// did.
pub async fn subscribe_and_wait(socket: &mut ws::RawSocket, id: &str, query: &str) -> Vec<Value> {
    socket.subscribe(id, query, Value::Null).await;
    let probe = format!("{id}-registered");
    socket
        .subscribe(&probe, "{ __typename }", Value::Null)
        .await;
    // What the subscription sends at once (a `voiceStatus` starts with the current statuses)
    // may come before the probe's answer.
    let mut early = Vec::new();
    loop {
        let message = socket.next_json().await;
        if message["id"] == id && message["type"] == "next" {
            early.push(message["payload"]["data"].clone());
            continue;
        }
        assert_eq!(
            message,
            json!({ "type": "next", "id": probe, "payload": { "data": { "__typename": "Query" } } }),
            "subscription {id} was refused or sent something else first"
        );
        break;
    }
    assert_eq!(
        socket.next_json().await,
        json!({ "type": "complete", "id": probe })
    );
    early
}
