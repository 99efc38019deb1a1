//! The server as its own process: `lossy serve` started from the binary under test, for the
//! tests that must kill a server outright (SIGKILL leaves no chance to clean up, which a task
//! in this process cannot be made to suffer) or run several of them side by side.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use uuid::Uuid;

use crate::{ADMIN_EMAIL, ADMIN_PASSWORD, GraphqlServer, TEST_JWT_SECRET, post_graphql};

/// The `lossy` binary beside this test's own (`target/debug`), built first so that it is the
/// code under test: `cargo build --bin lossy` into the same target folder. `LOSSY_BIN` names
/// another binary instead.
pub fn lossy_binary() -> PathBuf {
    if let Some(binary) = std::env::var_os("LOSSY_BIN") {
        return PathBuf::from(binary);
    }
    let exe = std::env::current_exe().expect("the test's path");
    // target/debug/deps/api-… → target/debug → target
    let debug = exe.parent().and_then(Path::parent).expect("target/debug");
    let target = debug.parent().expect("target");
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace");
    let mut build = std::process::Command::new(env!("CARGO"));
    build
        .args(["build", "--bin", "lossy", "--target-dir"])
        .arg(target)
        .current_dir(workspace);
    // The variables Cargo set for this test (`CARGO_MANIFEST_DIR`, `CARGO_PKG_*`, ...) are not
    // the build's: some build scripts watch them, and inheriting them would rebuild half the
    // stack here and again in the next ordinary build.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_") && name != "CARGO_HOME" {
            build.env_remove(name.as_ref());
        }
    }
    let built = build.status().expect("cargo build --bin lossy");
    assert!(built.success(), "cargo build --bin lossy failed");
    debug.join("lossy")
}

/// A `lossy serve` process with the test admin and JWT secret of [`crate::spawn_app`].
pub struct ServerProcess {
    child: tokio::process::Child,
    /// `http://127.0.0.1:<port>`, read from the line the server prints once it listens.
    pub origin: String,
}

impl ServerProcess {
    /// Starts `binary` on `data_dir` and, when given, the PostgreSQL `database` (SQLite in
    /// `data_dir` otherwise), with `env` set on top; answers once it listens.
    pub async fn start(
        binary: &Path,
        data_dir: &Path,
        database: Option<&str>,
        env: &[(&str, &str)],
    ) -> ServerProcess {
        let mut command = tokio::process::Command::new(binary);
        command
            .arg("serve")
            .env_remove("DATABASE_URL")
            .env_remove("LOSSY_DATABASE_URL")
            .env("LOSSY_BIND", "127.0.0.1:0")
            .env("LOSSY_DATA_DIR", data_dir)
            .env("LOSSY_ADMIN_EMAIL", ADMIN_EMAIL)
            .env("LOSSY_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("LOSSY_JWT_SECRET", TEST_JWT_SECRET)
            // Tests open many sockets and sign in often from one address.
            .env("LOSSY_JOIN_RATE_PER_ADDRESS", "10000")
            .env("LOSSY_LOGIN_RATE_PER_ADDRESS", "10000")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("TEST_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .kill_on_drop(true);
        if let Some(url) = database {
            command.env("LOSSY_DATABASE_URL", url);
        }
        let mut child = command.spawn().expect("lossy serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let origin = tokio::time::timeout(Duration::from_secs(60), async {
            while let Some(line) = lines.next_line().await.expect("stdout line") {
                if let Some(rest) = line.split("listening on ").nth(1) {
                    return rest
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_owned();
                }
            }
            panic!("the server exited before listening");
        })
        .await
        .expect("the server listens in time");
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        ServerProcess { child, origin }
    }

    /// `ws://…/graphql` of this server.
    pub fn ws_url(&self) -> String {
        format!("{}/graphql", self.origin.replacen("http", "ws", 1))
    }

    /// `POST /graphql` with a bearer token; answers the JSON body.
    pub async fn graphql(&self, token: &str, query: &str, variables: Value) -> Value {
        let url = format!("{}/graphql", self.origin);
        post_graphql(&url, token, query, variables).await.1
    }

    /// A device token of `email`, signed in as the web app does, for a new device.
    pub async fn device_token(&self, email: &str, password: &str) -> String {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("client");
        let login = client
            .post(format!("{}/api/auth/login", self.origin))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .expect("login");
        assert_eq!(login.status(), 200, "login of {email}");
        let tokens: Value = client
            .post(format!("{}/api/auth/extension_token", self.origin))
            .header("Origin", &self.origin)
            .json(&json!({ "deviceId": Uuid::new_v4(), "deviceName": "process test" }))
            .send()
            .await
            .expect("extension token")
            .json()
            .await
            .expect("tokens");
        tokens["token"].as_str().expect("a token").to_owned()
    }

    /// A device token of the admin.
    pub async fn admin_token(&self) -> String {
        self.device_token(ADMIN_EMAIL, ADMIN_PASSWORD).await
    }

    /// A new reviewer, made by `admin`, and a device token of theirs.
    pub async fn new_reviewer(&self, admin: &str) -> String {
        let email = format!("user-{}@lossy.test", Uuid::new_v4().simple());
        let created = self
            .graphql(
                admin,
                "mutation($input: CreateUserInput!) { createUser(input: $input) { id } }",
                json!({ "input": { "email": email, "password": "password-123" } }),
            )
            .await;
        assert!(created["data"]["createUser"]["id"].is_string(), "{created}");
        self.device_token(&email, "password-123").await
    }

    /// Kills the server with SIGKILL and reaps it.
    pub async fn sigkill(mut self) {
        self.child.start_kill().expect("SIGKILL");
        self.child
            .wait()
            .await
            .expect("the killed server is reaped");
    }
}

impl GraphqlServer for ServerProcess {
    async fn graphql(&self, token: &str, query: &str, variables: Value) -> Value {
        ServerProcess::graphql(self, token, query, variables).await
    }
}
