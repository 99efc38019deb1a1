//! The reviewers' accounts: the admin signs in and creates one user per simulated reviewer
//! (PROTOCOL.md 8.5: one live voice session per user); each user signs in and mints an
//! extension token for a device of its own, as the extension does.

use anyhow::{Context, bail};
use futures_util::StreamExt;
use reqwest::header::{COOKIE, ORIGIN, SET_COOKIE};
use serde_json::{Value, json};
use uuid::Uuid;

const PASSWORD: &str = "load-password-123";
const CREATE_USER: &str = "mutation($input: CreateUserInput!) { createUser(input: $input) { id } }";

/// The server as the generator reaches it.
#[derive(Clone)]
pub struct Server {
    pub http: reqwest::Client,
    /// `http://127.0.0.1:PORT`, also the `Origin` of cookie requests.
    pub origin: String,
}

impl Server {
    pub fn new(origin: &str) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(64)
            .build()
            .context("HTTP client")?;
        Ok(Server {
            http,
            origin: origin.trim_end_matches('/').to_owned(),
        })
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/graphql", self.origin.trim_start_matches("http://"))
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    /// `POST /api/auth/login`; answers the `lossy_session` cookie.
    pub async fn login(&self, email: &str, password: &str) -> anyhow::Result<String> {
        let response = self
            .http
            .post(self.url("/api/auth/login"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .context("login request")?;
        let status = response.status();
        let cookie = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| {
                let pair = v.split(';').next()?.trim();
                pair.starts_with("lossy_session=").then(|| pair.to_owned())
            });
        match cookie {
            Some(cookie) if status.is_success() => Ok(cookie),
            _ => {
                let body = response.text().await.unwrap_or_default();
                bail!("login of {email} answered {status}: {body}")
            }
        }
    }

    /// `POST /api/auth/extension_token` for a new device; answers the access token.
    pub async fn extension_token(&self, cookie: &str) -> anyhow::Result<String> {
        let device = Uuid::new_v4();
        let response = self
            .http
            .post(self.url("/api/auth/extension_token"))
            .header(COOKIE, cookie)
            .header(ORIGIN, &self.origin)
            .json(&json!({ "deviceId": device, "deviceName": "lossy-load" }))
            .send()
            .await
            .context("extension_token request")?;
        let status = response.status();
        let body: Value = response.json().await.context("extension_token body")?;
        match body["token"].as_str() {
            Some(token) if status.is_success() => Ok(token.to_owned()),
            _ => bail!("extension_token answered {status}: {body}"),
        }
    }

    /// `GET /metrics`: the server's Prometheus exposition, which needs no sign-in.
    pub async fn metrics(&self) -> anyhow::Result<String> {
        let response = self
            .http
            .get(self.url("/metrics"))
            .send()
            .await
            .context("metrics request")?;
        let status = response.status();
        if !status.is_success() {
            bail!("/metrics answered {status}");
        }
        response.text().await.context("metrics body")
    }

    /// One GraphQL operation over HTTP with a bearer token.
    async fn graphql(&self, token: &str, query: &str, variables: Value) -> anyhow::Result<Value> {
        let response = self
            .http
            .post(self.url("/graphql"))
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .context("graphql request")?;
        response.json().await.context("graphql body")
    }
}

/// Signs the admin in and answers a device token for it.
pub async fn admin_token(server: &Server, email: &str, password: &str) -> anyhow::Result<String> {
    let cookie = server
        .login(email, password)
        .await
        .context("admin login (check --admin-email / --admin-password)")?;
    server.extension_token(&cookie).await
}

/// Creates a user, signs it in and mints its extension token.
async fn reviewer(server: &Server, admin: &str, email: String) -> anyhow::Result<String> {
    let created = server
        .graphql(
            admin,
            CREATE_USER,
            json!({ "input": { "email": email, "password": PASSWORD, "name": "Load reviewer", "role": "USER" } }),
        )
        .await?;
    if created["data"]["createUser"]["id"].as_str().is_none() {
        bail!("createUser answered {created}");
    }
    let cookie = server.login(&email, PASSWORD).await?;
    server.extension_token(&cookie).await
}

/// Device tokens for `count` new reviewers, `concurrency` at a time. A reviewer that could not
/// be set up is reported (and the run goes on with the others).
pub async fn reviewers(
    server: &Server,
    admin: &str,
    count: usize,
    concurrency: usize,
) -> (Vec<String>, Vec<anyhow::Error>) {
    let run = Uuid::new_v4().simple().to_string();
    let results: Vec<anyhow::Result<String>> = futures_util::stream::iter(0..count)
        .map(|i| reviewer(server, admin, format!("load-{}-{i}@load.test", &run[..12])))
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    let mut tokens = Vec::with_capacity(count);
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(token) => tokens.push(token),
            Err(err) => errors.push(err),
        }
    }
    (tokens, errors)
}
