//! The `lossy` binary itself: what a newcomer types, run as a real process.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const LOSSY: &str = env!("CARGO_BIN_EXE_lossy");

/// `lossy <args>` with a private data folder and no inherited `LOSSY_*` configuration.
fn lossy(data_dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(LOSSY);
    for (name, _) in std::env::vars() {
        if name.starts_with("LOSSY_") || name == "DATABASE_URL" {
            command.env_remove(name);
        }
    }
    command.args(args).env("LOSSY_DATA_DIR", data_dir);
    command
}

fn run(data_dir: &Path, args: &[&str]) -> (bool, String, String) {
    let output = lossy(data_dir, args).output().expect("lossy runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A running `lossy serve` and what it printed before it was ready.
struct Server {
    child: Child,
    addr: String,
    banner: Vec<String>,
}

fn serve(data_dir: &Path) -> Server {
    serve_with(data_dir, &[], Stdio::null())
}

fn serve_with(data_dir: &Path, env: &[(&str, &str)], stderr: Stdio) -> Server {
    let mut child = lossy(data_dir, &["serve", "--bind", "127.0.0.1:0"])
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("lossy serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut banner = Vec::new();
    let mut addr = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("banner line");
        if let Some(rest) = line.split("listening on http://").nth(1) {
            addr = rest.split_whitespace().next().map(str::to_owned);
            banner.push(line);
            break;
        }
        banner.push(line);
    }
    Server {
        child,
        addr: addr.expect("the server prints its address"),
        banner,
    }
}

impl Server {
    /// Ctrl-C, then the exit status.
    fn interrupt(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill");
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "server did not stop after Ctrl-C"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn http_post(addr: &str, path: &str, body: &str) -> (u16, String) {
    http_post_with(addr, path, body, "")
}

fn http_post_with(addr: &str, path: &str, body: &str, extra_headers: &str) -> (u16, String) {
    // A minimal HTTP/1.1 client keeps this test free of async set-up.
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n{extra_headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    (status, response)
}

#[test]
fn first_start_prints_the_admin_login_once_and_ctrl_c_stops_cleanly() {
    let data = tempfile::tempdir().unwrap();
    let server = serve(data.path());
    let banner = server.banner.join("\n");
    let password = server
        .banner
        .iter()
        .find_map(|line| {
            line.trim()
                .strip_prefix("password:")
                .map(|p| p.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("no generated password in:\n{banner}"));
    assert!(banner.contains("admin@localhost"), "{banner}");

    let (status, _) = http_post(
        &server.addr,
        "/api/auth/login",
        &format!(r#"{{"email":"admin@localhost","password":"{password}"}}"#),
    );
    assert_eq!(status, 200, "the printed password logs in");
    assert!(server.interrupt().success(), "Ctrl-C exits with success");

    // The secret was generated once, private to its owner; a restart reuses it and prints no
    // new password.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.path().join("jwt_secret"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let again = serve(data.path());
    assert!(!again.banner.join("\n").contains("password:"));
    assert!(again.interrupt().success());
}

#[test]
fn adapters_export_prints_the_same_manifest_every_time_and_needs_no_database() {
    let data = tempfile::tempdir().unwrap();
    let (ok, first, stderr) = run(data.path(), &["adapters", "export"]);
    assert!(ok, "{stderr}");
    let (_, second, _) = run(data.path(), &["adapters", "export"]);
    assert_eq!(first, second);
    assert_eq!(first, lossy_api::platforms::manifest::exported());
    let manifest: serde_json::Value = serde_json::from_str(&first).unwrap();
    let ids: Vec<&str> = manifest["adapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["youtube", "vimeo", "frameio", "iconik", "wipster", "tiktok"]
    );
    // Nothing was created: the export reads no database.
    assert_eq!(std::fs::read_dir(data.path()).unwrap().count(), 0);
}

#[test]
fn schema_command_prints_the_committed_schema() {
    let data = tempfile::tempdir().unwrap();
    let (ok, stdout, _) = run(data.path(), &["schema"]);
    assert!(ok);
    let committed =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema.graphql"))
            .unwrap();
    assert!(
        stdout == committed,
        "schema.graphql differs from `lossy schema`; regenerate it"
    );
}

#[test]
fn user_token_and_flags_commands_work_on_the_data_folder() {
    let data = tempfile::tempdir().unwrap();
    let (ok, _, stderr) = run(data.path(), &["migrate"]);
    assert!(ok, "{stderr}");

    let (ok, stdout, stderr) = run(
        data.path(),
        &[
            "user",
            "add",
            "--email",
            "Editor@Example.com",
            "--password",
            "long enough",
            "--admin",
        ],
    );
    assert!(ok, "{stderr}");
    assert!(stdout.contains("editor@example.com"), "{stdout}");
    let (ok, _, stderr) = run(
        data.path(),
        &[
            "user",
            "add",
            "--email",
            "editor@example.com",
            "--password",
            "long enough",
        ],
    );
    assert!(
        !ok && stderr.contains("already exists"),
        "duplicate refused: {stderr}"
    );
    let (ok, _, stderr) = run(
        data.path(),
        &["user", "add", "--email", "x@y.z", "--password", "short"],
    );
    assert!(!ok && stderr.contains("at least 8"), "{stderr}");

    let (ok, token, stderr) = run(
        data.path(),
        &["token", "--email", "editor@example.com", "--device", "curl"],
    );
    assert!(ok, "{stderr}");
    assert_eq!(token.trim().split('.').count(), 3, "a JWT: {token}");
    let (ok, _, stderr) = run(data.path(), &["token", "--email", "nobody@example.com"]);
    assert!(!ok && stderr.contains("no account"), "{stderr}");

    let (ok, _, stderr) = run(
        data.path(),
        &[
            "flags",
            "set",
            "server_voice_session",
            "--default",
            "off",
            "--rollout",
            "10",
        ],
    );
    assert!(ok, "{stderr}");
    let (ok, _, stderr) = run(
        data.path(),
        &[
            "flags",
            "override",
            "server_voice_session",
            "--email",
            "editor@example.com",
            "on",
        ],
    );
    assert!(ok, "{stderr}");
    let (ok, listing, _) = run(data.path(), &["flags", "list"]);
    assert!(ok);
    let line = listing
        .lines()
        .find(|l| l.starts_with("server_voice_session"))
        .expect("flag listed");
    let columns: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(&columns[1..4], &["off", "10%", "1"], "{line}");

    let (ok, _, stderr) = run(
        data.path(),
        &["flags", "set", "no_such_flag", "--rollout", "5"],
    );
    assert!(
        !ok && stderr.contains("server_voice_session"),
        "unknown flags are named: {stderr}"
    );
    let (ok, _, _) = run(
        data.path(),
        &["flags", "set", "server_telemetry", "--rollout", "101"],
    );
    assert!(!ok, "rollout above 100 is refused");
}

#[test]
fn serve_help_documents_every_option_and_the_readme_lists_each_variable() {
    let data = tempfile::tempdir().unwrap();
    let (ok, help, _) = run(data.path(), &["serve", "--help"]);
    assert!(ok);
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .unwrap();
    let variables: Vec<&str> = help
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| word.starts_with("LOSSY_"))
        .collect();
    assert!(
        variables.len() >= 25,
        "every option names its variable: {help}"
    );
    for variable in variables {
        assert!(
            readme.contains(&format!("`{variable}`")),
            "README's configuration table lacks {variable}"
        );
    }
}

#[test]
fn json_logs_carry_the_request_id() {
    let data = tempfile::tempdir().unwrap();
    let log_path = data.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let server = serve_with(
        data.path(),
        &[("LOSSY_LOG_FORMAT", "json")],
        Stdio::from(log),
    );
    let (status, response) = http_post_with(
        &server.addr,
        "/graphql",
        r#"{"query":"{ __typename }"}"#,
        "x-request-id: trace-me-42\r\n",
    );
    assert_eq!(status, 200);
    assert!(
        response
            .to_ascii_lowercase()
            .contains("x-request-id: trace-me-42"),
        "{response}"
    );
    let banner = server.banner.clone();
    assert!(server.interrupt().success());

    let logs = std::fs::read_to_string(&log_path).unwrap();
    let lines: Vec<serde_json::Value> = logs
        .lines()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|_| panic!("not a JSON line: {line}"))
        })
        .collect();
    assert!(
        lines
            .iter()
            .any(|line| line["span"]["request_id"] == "trace-me-42"),
        "no log line carries the request id ({} bytes):\n{logs}\nbanner: {:?}",
        logs.len(),
        banner
    );
}
