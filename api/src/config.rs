//! One `Config` for the server, read from command-line flags and `LOSSY_*` environment
//! variables, with defaults that run on a laptop.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};
use url::Url;

/// Where the server keeps its data: the data folder (SQLite file, generated JWT secret) and,
/// when given, a PostgreSQL URL.
#[derive(Debug, Clone, Args)]
pub struct StorageConfig {
    /// Folder for the embedded database and the generated JWT secret.
    #[arg(long, env = "LOSSY_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// Database URL; `postgres://…` selects PostgreSQL. Falls back to `DATABASE_URL`, then to
    /// SQLite in the data folder.
    #[arg(long, env = "LOSSY_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<Secret>,
}

impl StorageConfig {
    /// The database to connect to: the flag, else `DATABASE_URL`, else `lossy.db` in the data
    /// folder.
    pub fn resolved_database_url(&self) -> String {
        if let Some(url) = &self.database_url {
            return url.expose().to_owned();
        }
        if let Ok(url) = std::env::var("DATABASE_URL")
            && !url.trim().is_empty()
        {
            return url;
        }
        format!(
            "sqlite://{}?mode=rwc",
            self.data_dir.join("lossy.db").display()
        )
    }
}

/// The OpenAI-compatible chat-completions endpoint that structures notes
/// ([`crate::notes::llm`]). Without a base URL the built-in structurer works alone.
#[derive(Debug, Clone, Args)]
pub struct LlmConfig {
    /// Base URL of an OpenAI-compatible API (e.g. `http://127.0.0.1:8080/v1`); notes are
    /// requested from `<base>/chat/completions`. Unset: notes come from the built-in
    /// structurer only.
    #[arg(long = "llm-base-url", env = "LOSSY_LLM_BASE_URL")]
    pub base_url: Option<Url>,

    /// Sent as `Authorization: Bearer <key>`; local servers usually need none.
    #[arg(
        long = "llm-api-key",
        env = "LOSSY_LLM_API_KEY",
        hide_env_values = true
    )]
    pub api_key: Option<Secret>,

    /// Model asked for in each request.
    #[arg(
        long = "llm-model",
        env = "LOSSY_LLM_MODEL",
        default_value = "gpt-4o-mini"
    )]
    pub model: String,

    /// Time limit of one request to the LLM, in milliseconds. A failed request is retried
    /// once at most; then the built-in structurer's note is used.
    #[arg(
        long = "llm-timeout-ms",
        env = "LOSSY_LLM_TIMEOUT_MS",
        default_value_t = 3000
    )]
    pub timeout_ms: u64,
}

impl LlmConfig {
    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms)
    }
}

impl Default for LlmConfig {
    /// As `lossy serve` has it with no flag and no environment: no LLM.
    fn default() -> Self {
        LlmConfig {
            base_url: None,
            api_key: None,
            model: "gpt-4o-mini".into(),
            timeout_ms: 3000,
        }
    }
}

/// The durable jobs ([`crate::jobs`], docs/jobs.md): how often workers look for work, how
/// soon a dead server's jobs are taken over, how often a job is tried.
#[derive(Debug, Clone, Args)]
pub struct JobsConfig {
    /// How often an idle worker looks for new jobs, in milliseconds (apalis's own default, a
    /// 30 s heartbeat, would leave a refinement waiting that long).
    #[arg(
        long = "jobs-poll-ms",
        env = "LOSSY_JOBS_POLL_MS",
        default_value_t = 250
    )]
    pub poll_ms: u64,

    /// A worker's heartbeat, in seconds; the jobs of a worker that missed three are run by
    /// another (after a crash, that is how long they wait).
    #[arg(
        long = "jobs-heartbeat-secs",
        env = "LOSSY_JOBS_HEARTBEAT_SECS",
        default_value_t = 5
    )]
    pub heartbeat_secs: u64,

    /// The wait before a failed job's second try, in milliseconds; it doubles for each next
    /// one, up to a minute.
    #[arg(
        long = "jobs-backoff-ms",
        env = "LOSSY_JOBS_BACKOFF_MS",
        default_value_t = 1000
    )]
    pub backoff_ms: u64,

    /// Tries of a note's refinement by the LLM before it is `FAILED`.
    #[arg(
        long = "refine-attempts",
        env = "LOSSY_REFINE_ATTEMPTS",
        default_value_t = 4
    )]
    pub refine_attempts: u32,

    /// Tries of a note's posting before it is `FAILED`.
    #[arg(
        long = "post-attempts",
        env = "LOSSY_POST_ATTEMPTS",
        default_value_t = 5
    )]
    pub post_attempts: u32,

    /// Time limit of one webhook delivery, in milliseconds.
    #[arg(
        long = "webhook-timeout-ms",
        env = "LOSSY_WEBHOOK_TIMEOUT_MS",
        default_value_t = 10_000
    )]
    pub webhook_timeout_ms: u64,

    /// Lets webhooks point at private addresses (loopback, RFC 1918, link-local, CGNAT,
    /// unique-local, ...), for a self-hosted receiver on the same network. Off, such a URL is
    /// refused at `setWebhook` and a name that resolves to one is not posted to
    /// (`crate::integrations::egress`).
    #[arg(
        long = "webhook-allow-private",
        env = "LOSSY_WEBHOOK_ALLOW_PRIVATE",
        default_value_t = false,
        action = clap::ArgAction::Set
    )]
    pub webhook_allow_private: bool,

    /// How long finished jobs stay in the queue's table, in seconds: done ones, and dead ones
    /// (which an admin may retry until then), counted from their last try.
    #[arg(
        long = "jobs-retention-secs",
        env = "LOSSY_JOBS_RETENTION_SECS",
        default_value_t = 7 * 24 * 3600
    )]
    pub retention_secs: u64,
}

impl Default for JobsConfig {
    /// As `lossy serve` has it with no flag and no environment.
    fn default() -> Self {
        JobsConfig {
            poll_ms: 250,
            heartbeat_secs: 5,
            backoff_ms: 1000,
            refine_attempts: 4,
            post_attempts: 5,
            webhook_timeout_ms: 10_000,
            webhook_allow_private: false,
            retention_secs: 7 * 24 * 3600,
        }
    }
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Everything `lossy serve` can be told. Every field is a flag and a `LOSSY_*` variable.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "LOSSY_BIND", default_value = "127.0.0.1:4000")]
    pub bind: SocketAddr,

    #[command(flatten)]
    pub storage: StorageConfig,

    /// Public origin of this server (e.g. `https://lossy.example.com`); decides the `Secure`
    /// cookie flag and is always an allowed origin. Defaults to `http://<bind>`.
    #[arg(long, env = "LOSSY_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Extra origins allowed to open sockets and call with cookies, comma-separated
    /// (e.g. `chrome-extension://abcdef…`).
    #[arg(long, env = "LOSSY_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,

    /// HS256 secret for access tokens. Generated once into `<data-dir>/jwt_secret` when unset.
    #[arg(long, env = "LOSSY_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<Secret>,

    /// Lifetime of an access token, in seconds.
    #[arg(long, env = "LOSSY_TOKEN_TTL_SECS", default_value_t = 900)]
    pub token_ttl_secs: u64,

    /// Lifetime of a refresh token, in days.
    #[arg(long, env = "LOSSY_REFRESH_TTL_DAYS", default_value_t = 30)]
    pub refresh_ttl_days: u32,

    /// Lifetime of a web (dashboard) session, in hours.
    #[arg(long, env = "LOSSY_WEB_SESSION_TTL_HOURS", default_value_t = 336)]
    pub web_session_ttl_hours: u32,

    /// Email of the admin created on an empty database.
    #[arg(long, env = "LOSSY_ADMIN_EMAIL", default_value = "admin@localhost")]
    pub admin_email: String,

    /// Password of that admin; a random one is generated and printed once when unset.
    #[arg(long, env = "LOSSY_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<Secret>,

    /// Answer GraphQL introspection queries (GraphiQL needs them).
    #[arg(long, env = "LOSSY_INTROSPECTION", default_value_t = true, action = clap::ArgAction::Set)]
    pub introspection: bool,

    /// Log format.
    #[arg(long, env = "LOSSY_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Time a new socket has to send `connection_init`, in milliseconds.
    #[arg(long, env = "LOSSY_WS_INIT_TIMEOUT_MS", default_value_t = 3000)]
    pub ws_init_timeout_ms: u64,

    /// Operations one socket may have running at once.
    #[arg(long, env = "LOSSY_WS_MAX_OPERATIONS", default_value_t = 32)]
    pub ws_max_operations: usize,

    /// Largest WebSocket message accepted, in bytes; larger ones close the socket with 1009.
    #[arg(long, env = "LOSSY_WS_MAX_MESSAGE_BYTES", default_value_t = 256 * 1024)]
    pub ws_max_message_bytes: usize,

    /// Largest HTTP request body accepted, in bytes.
    #[arg(long, env = "LOSSY_HTTP_BODY_LIMIT_BYTES", default_value_t = 1024 * 1024)]
    pub http_body_limit_bytes: usize,

    /// Time limit for one HTTP request, in seconds.
    #[arg(long, env = "LOSSY_HTTP_TIMEOUT_SECS", default_value_t = 30)]
    pub http_timeout_secs: u64,

    /// Deepest GraphQL selection accepted.
    #[arg(long, env = "LOSSY_GRAPHQL_MAX_DEPTH", default_value_t = 12)]
    pub graphql_max_depth: usize,

    /// Highest GraphQL query complexity accepted.
    #[arg(long, env = "LOSSY_GRAPHQL_MAX_COMPLEXITY", default_value_t = 2000)]
    pub graphql_max_complexity: usize,

    /// Most operations in one HTTP batch.
    #[arg(long, env = "LOSSY_GRAPHQL_MAX_BATCH", default_value_t = 10)]
    pub graphql_max_batch: usize,

    /// Largest page (`first`) a connection field serves.
    #[arg(long, env = "LOSSY_MAX_PAGE_SIZE", default_value_t = 100)]
    pub max_page_size: usize,

    /// Socket joins (`connection_init`) allowed per device per minute.
    #[arg(long, env = "LOSSY_JOIN_RATE_PER_DEVICE", default_value_t = 12)]
    pub join_rate_per_device: u32,

    /// Socket joins allowed per client address per minute.
    #[arg(long, env = "LOSSY_JOIN_RATE_PER_ADDRESS", default_value_t = 600)]
    pub join_rate_per_address: u32,

    /// Password logins allowed per client address per minute.
    #[arg(long, env = "LOSSY_LOGIN_RATE_PER_ADDRESS", default_value_t = 30)]
    pub login_rate_per_address: u32,

    /// How often flag changes made outside this process (`lossy flags …`) are picked up, in
    /// milliseconds.
    #[arg(long, env = "LOSSY_FLAG_POLL_MS", default_value_t = 5000)]
    pub flag_poll_ms: u64,

    /// How long a tab owns the video context without a sign of life from its voice session
    /// (or a new claim), in milliseconds.
    #[arg(long, env = "LOSSY_CONTEXT_LEASE_MS", default_value_t = 15_000)]
    pub context_lease_ms: u64,

    /// How long a node holds a live voice session without renewing its lease, in
    /// milliseconds: after this, another node on the same database takes over the sessions of
    /// a node that died. Renewed every third of it.
    #[arg(long, env = "LOSSY_SESSION_LEASE_MS", default_value_t = 10_000)]
    pub session_lease_ms: u64,

    /// How long a node keeps serving after it was asked to stop, with `/readyz` answering 503
    /// meanwhile so that a load balancer sends new clients elsewhere, in seconds.
    #[arg(long, env = "LOSSY_DRAIN_SECS", default_value_t = 0)]
    pub drain_secs: u64,

    /// How long note events are kept for replay (`noteEvents(since:)`), in seconds; a client
    /// whose offset is older reloads its notes.
    #[arg(long, env = "LOSSY_NOTE_EVENTS_RETENTION_SECS", default_value_t = 7 * 24 * 3600)]
    pub note_events_retention_secs: u64,

    /// Server telemetry events held in memory while waiting to be written; when full, new
    /// ones are dropped (and counted) so that recording never slows a session.
    #[arg(long, env = "LOSSY_TELEMETRY_QUEUE", default_value_t = 10_000)]
    pub telemetry_queue_capacity: usize,

    /// How often the telemetry writer adds the analytics rollups accumulated in memory to
    /// `metric_rollups` (and once more at shutdown).
    #[arg(long, env = "LOSSY_ANALYTICS_FLUSH_MS", default_value_t = 5_000)]
    pub analytics_flush_ms: u64,

    /// Serve the web app from this folder (a built `dashboard/dist`), read once at start,
    /// instead of the copy embedded in the binary at build time.
    #[arg(long, env = "LOSSY_WEB_DIR")]
    pub web_dir: Option<PathBuf>,

    /// This server process's name in the admin console (`LiveSession.node`,
    /// `serverHealth.node`); defaults to `<hostname>-<pid>`.
    #[arg(long, env = "LOSSY_NODE_ID")]
    pub node_id: Option<String>,

    #[command(flatten)]
    pub llm: LlmConfig,

    #[command(flatten)]
    pub jobs: JobsConfig,
}

impl Config {
    /// Defaults as `lossy serve` would have them with no flag and no environment, bound to a
    /// free port and keeping its data in `data_dir`. For tests and embedding.
    pub fn local(data_dir: PathBuf) -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            storage: StorageConfig {
                data_dir,
                database_url: None,
            },
            public_url: None,
            allowed_origins: Vec::new(),
            jwt_secret: None,
            token_ttl_secs: 900,
            refresh_ttl_days: 30,
            web_session_ttl_hours: 336,
            admin_email: "admin@localhost".into(),
            admin_password: None,
            introspection: true,
            log_format: LogFormat::Text,
            ws_init_timeout_ms: 3000,
            ws_max_operations: 32,
            ws_max_message_bytes: 256 * 1024,
            http_body_limit_bytes: 1024 * 1024,
            http_timeout_secs: 30,
            graphql_max_depth: 12,
            graphql_max_complexity: 2000,
            graphql_max_batch: 10,
            max_page_size: 100,
            join_rate_per_device: 12,
            join_rate_per_address: 600,
            login_rate_per_address: 30,
            flag_poll_ms: 5000,
            context_lease_ms: 15_000,
            session_lease_ms: 10_000,
            drain_secs: 0,
            note_events_retention_secs: 7 * 24 * 3600,
            telemetry_queue_capacity: 10_000,
            analytics_flush_ms: 5_000,
            web_dir: None,
            node_id: None,
            llm: LlmConfig::default(),
            jobs: JobsConfig::default(),
        }
    }

    pub fn token_ttl(&self) -> Duration {
        Duration::from_secs(self.token_ttl_secs)
    }

    pub fn context_lease(&self) -> Duration {
        Duration::from_millis(self.context_lease_ms)
    }

    pub fn session_lease(&self) -> Duration {
        Duration::from_millis(self.session_lease_ms.max(300))
    }

    pub fn note_events_retention(&self) -> Duration {
        Duration::from_secs(self.note_events_retention_secs)
    }

    pub fn ws_init_timeout(&self) -> Duration {
        Duration::from_millis(self.ws_init_timeout_ms)
    }

    /// The configured node id, else `<hostname>-<pid>`.
    pub fn node(&self) -> String {
        if let Some(node) = self.node_id.as_deref().map(str::trim)
            && !node.is_empty()
        {
            return node.to_owned();
        }
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .ok()
            .or_else(|| std::env::var("HOSTNAME").ok())
            .map(|name| name.trim().to_owned())
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| "lossy".to_owned());
        format!("{host}-{}", std::process::id())
    }

    /// Cookies get `Secure` when the public URL is https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

/// A string that never reaches a log line or a `Debug` print.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        config: Config,
    }

    #[test]
    fn local_defaults_match_the_command_line_defaults() {
        let parsed = Cli::try_parse_from(["lossy"]).unwrap().config;
        let local = Config::local(PathBuf::from("./data"));
        // Same values everywhere except the bind port (tests use port 0).
        assert_eq!(parsed.bind.to_string(), "127.0.0.1:4000");
        assert_eq!(
            format!(
                "{:?}",
                Config {
                    bind: local.bind,
                    ..parsed
                }
            ),
            format!("{local:?}")
        );
    }

    #[test]
    fn secrets_do_not_print() {
        let secret = Secret::new("hunter2");
        assert!(!format!("{secret:?}").contains("hunter2"));
    }
}
