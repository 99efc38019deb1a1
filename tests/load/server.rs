//! The server under load: `lossy serve` started by the generator on a throwaway data folder,
//! or one already running on loopback.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub const SPAWNED_ADMIN_EMAIL: &str = "admin@load.test";

/// How long the spawned server may take to migrate and listen.
const START_WAIT: Duration = Duration::from_secs(60);
/// How long it may take to stop after SIGTERM before it is killed.
const STOP_WAIT: Duration = Duration::from_secs(15);

/// A `lossy serve` this process started, with its own data folder.
pub struct Spawned {
    child: Child,
    pub pid: u32,
    pub origin: String,
    pub admin_password: String,
    _data_dir: tempfile::TempDir,
}

/// Limits raised so that one address may sign in and join as often as the run needs.
fn raised_limits(sessions: usize) -> Vec<(&'static str, String)> {
    let plenty = (sessions * 4 + 1000).to_string();
    vec![
        ("LOSSY_LOGIN_RATE_PER_ADDRESS", plenty.clone()),
        ("LOSSY_JOIN_RATE_PER_ADDRESS", plenty.clone()),
        // The idle scenario's sockets share a few devices.
        ("LOSSY_JOIN_RATE_PER_DEVICE", plenty),
        ("LOSSY_WS_MAX_OPERATIONS", "64".to_owned()),
    ]
}

/// Starts `binary serve` on a free loopback port and waits for its `listening on` line.
pub async fn spawn(binary: &Path, sessions: usize, log: Option<&Path>) -> anyhow::Result<Spawned> {
    if !binary.exists() {
        bail!(
            "{} does not exist: build it with `cargo build --release --bin lossy` or pass --server-bin",
            binary.display()
        );
    }
    let data_dir = tempfile::tempdir().context("temporary data folder")?;
    let admin_password = format!("load-admin-{}", uuid::Uuid::new_v4().simple());
    let stderr = match log {
        Some(path) => Stdio::from(
            std::fs::File::create(path)
                .with_context(|| format!("server log {}", path.display()))?,
        ),
        None => Stdio::null(),
    };
    let mut command = Command::new(binary);
    command
        .arg("serve")
        .env_remove("LOSSY_DATABASE_URL")
        .env_remove("DATABASE_URL")
        .env_remove("LOSSY_BIND")
        .env_remove("LOSSY_PUBLIC_URL")
        .env("LOSSY_DATA_DIR", data_dir.path())
        .env("LOSSY_BIND", "127.0.0.1:0")
        .env("LOSSY_ADMIN_EMAIL", SPAWNED_ADMIN_EMAIL)
        .env("LOSSY_ADMIN_PASSWORD", &admin_password)
        .envs(raised_limits(sessions))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .kill_on_drop(true);
    let mut child = command
        .spawn()
        .with_context(|| format!("start {}", binary.display()))?;
    let pid = child.id().context("the server exited at once")?;
    let stdout = child.stdout.take().context("server stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let origin = tokio::time::timeout(START_WAIT, async {
        while let Some(line) = lines.next_line().await? {
            if let Some(rest) = line.split("listening on ").nth(1) {
                let origin = rest.split_whitespace().next().unwrap_or_default();
                return Ok(origin.to_owned());
            }
        }
        bail!("the server exited before listening (see --server-log)")
    })
    .await
    .context("the server did not listen in time")??;
    // Keep draining stdout so the server never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok(Spawned {
        child,
        pid,
        origin,
        admin_password,
        _data_dir: data_dir,
    })
}

impl Spawned {
    /// SIGTERM (a graceful stop), then a kill if it takes too long.
    pub async fn stop(mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.pid.to_string())
            .status()
            .await;
        if tokio::time::timeout(STOP_WAIT, self.child.wait())
            .await
            .is_err()
        {
            let _ = self.child.kill().await;
        }
    }
}

/// `target/release/lossy` next to this binary.
pub fn default_binary() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("lossy")))
        .unwrap_or_else(|| PathBuf::from("target/release/lossy"))
}

/// Refuses anything but loopback: load traffic stays on this machine.
pub fn check_loopback(origin: &str) -> anyhow::Result<()> {
    let url = url_host(origin).context("--server must be http://HOST:PORT")?;
    if !matches!(url.as_str(), "127.0.0.1" | "localhost" | "[::1]") {
        bail!("--server must be on loopback (127.0.0.1, localhost or [::1]), not {url}");
    }
    Ok(())
}

fn url_host(origin: &str) -> Option<String> {
    let rest = origin.strip_prefix("http://")?;
    let authority = rest.split('/').next()?;
    let host = match authority.rfind(':') {
        Some(i) if !authority.ends_with(']') => &authority[..i],
        _ => authority,
    };
    Some(host.to_ascii_lowercase())
}
