//! Durable jobs over the real server (PROTOCOL.md 6.2, docs/jobs.md): a note's refinement by
//! an LLM after `submitTranscript` answered with the built-in note, a note's posting to the
//! user's webhook, the admin's list of jobs and the retry of a dead one, and both surviving a
//! SIGKILL of the server.
//!
//! The LLM and the webhook are fakes on local ports that each test scripts: how long they
//! take, what they answer, and what they were sent.
//!
//! Beside this file: [`egress`] (the guard against private destinations), [`pruning`]
//! (finished jobs leave the queue) and [`auto_post`] (posting by rule).

mod auto_post;
mod egress;
mod pruning;

use std::collections::VecDeque;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use hmac::{Hmac, Mac};
use lossy_api::config::Config;
use lossy_tests::extension::{Extension, heartbeat, reviewer_with};
use lossy_tests::process::{ServerProcess, lossy_binary};
use lossy_tests::ws::Frame;
use lossy_tests::{GraphqlServer, TestApp, Tokens, error_code, eventually, spawn_app_with};
use serde_json::{Value, json};
use sha2::Sha256;
use tokio::net::TcpListener;

// ---------------------------------------------------------------------------------------------
// The fake LLM: an OpenAI-compatible `POST /v1/chat/completions` that answers `content` after
// `delay`, and counts what it was asked.

#[derive(Clone)]
struct FakeLlm {
    inner: Arc<LlmScript>,
}

struct LlmScript {
    delay: Mutex<Duration>,
    content: Mutex<String>,
    requests: AtomicUsize,
}

/// The fake's note, as the LLM refines "the music is uh too loud um".
const REFINED_TEXT: &str = "Lower the music under the dialogue";
const REFINED: &str =
    r#"{"category": "audio", "text": "Lower the music under the dialogue", "confidence": 0.93}"#;

impl FakeLlm {
    async fn start(content: &str, delay: Duration) -> (FakeLlm, String) {
        let fake = FakeLlm {
            inner: Arc::new(LlmScript {
                delay: Mutex::new(delay),
                content: Mutex::new(content.to_owned()),
                requests: AtomicUsize::new(0),
            }),
        };
        let router = Router::new()
            .route("/v1/chat/completions", post(completion))
            .with_state(fake.clone());
        let address = serve(router).await;
        (fake, format!("http://{address}/v1"))
    }

    fn requests(&self) -> usize {
        self.inner.requests.load(Ordering::SeqCst)
    }

    fn answer(&self, content: &str, delay: Duration) {
        *self.inner.content.lock().unwrap() = content.to_owned();
        *self.inner.delay.lock().unwrap() = delay;
    }
}

async fn completion(State(fake): State<FakeLlm>) -> Response {
    fake.inner.requests.fetch_add(1, Ordering::SeqCst);
    let delay = *fake.inner.delay.lock().unwrap();
    let content = fake.inner.content.lock().unwrap().clone();
    tokio::time::sleep(delay).await;
    let body = json!({
        "id": "chatcmpl-fake", "object": "chat.completion",
        "choices": [{ "index": 0, "finish_reason": "stop",
                      "message": { "role": "assistant", "content": content } }],
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Serves `router` on a free loopback port until the test ends.
async fn serve(router: Router) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
    address
}

// ---------------------------------------------------------------------------------------------
// The fake webhook: answers each delivery with the next scripted reply (the last one once they
// run out), and keeps what it received.

#[derive(Clone, Debug)]
enum HookReply {
    Status(u16),
    Redirect(&'static str),
    /// Takes this long before answering 200.
    Slow(Duration),
    /// Never answers.
    Hang,
}

#[derive(Clone, Debug)]
struct Delivery {
    id: String,
    timestamp: String,
    signature: String,
    body: Vec<u8>,
}

impl Delivery {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

#[derive(Clone)]
struct FakeHook {
    replies: Arc<Mutex<VecDeque<HookReply>>>,
    received: Arc<Mutex<Vec<Delivery>>>,
    /// Deliveries answered with 2xx.
    accepted: Arc<AtomicUsize>,
}

impl FakeHook {
    async fn start(replies: Vec<HookReply>) -> (FakeHook, String) {
        assert!(!replies.is_empty());
        let fake = FakeHook {
            replies: Arc::new(Mutex::new(replies.into())),
            received: Arc::default(),
            accepted: Arc::default(),
        };
        let router = Router::new()
            .route("/hook", post(hook))
            .with_state(fake.clone());
        let address = serve(router).await;
        (fake, format!("http://{address}/hook"))
    }

    fn received(&self) -> Vec<Delivery> {
        self.received.lock().unwrap().clone()
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    fn then(&self, replies: Vec<HookReply>) {
        *self.replies.lock().unwrap() = replies.into();
    }
}

async fn hook(State(fake): State<FakeHook>, headers: HeaderMap, body: Bytes) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    fake.received.lock().unwrap().push(Delivery {
        id: header("x-lossy-delivery"),
        timestamp: header("x-lossy-timestamp"),
        signature: header("x-lossy-signature"),
        body: body.to_vec(),
    });
    let reply = {
        let mut replies = fake.replies.lock().unwrap();
        if replies.len() > 1 {
            replies.pop_front()
        } else {
            replies.front().cloned()
        }
    };
    match reply.unwrap_or(HookReply::Status(200)) {
        HookReply::Status(code) => {
            let status = StatusCode::from_u16(code).expect("a status");
            if status.is_success() {
                fake.accepted.fetch_add(1, Ordering::SeqCst);
            }
            status.into_response()
        }
        HookReply::Redirect(to) => (StatusCode::FOUND, [(header::LOCATION, to)]).into_response(),
        HookReply::Slow(delay) => {
            tokio::time::sleep(delay).await;
            fake.accepted.fetch_add(1, Ordering::SeqCst);
            StatusCode::OK.into_response()
        }
        HookReply::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            StatusCode::OK.into_response()
        }
    }
}

const HOOK_SECRET: &str = "hook-secret-0123456789";

/// Whether `delivery` carries the signature its body and timestamp should have.
fn signed_right(delivery: &Delivery) -> bool {
    let mut mac = Hmac::<Sha256>::new_from_slice(HOOK_SECRET.as_bytes()).expect("a key");
    mac.update(delivery.timestamp.as_bytes());
    mac.update(b".");
    mac.update(&delivery.body);
    let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    delivery.signature == expected
}

// ---------------------------------------------------------------------------------------------
// The server side.

/// Quick jobs for tests: workers poll every 50 ms and retry after 50 ms. The fake webhooks
/// listen on 127.0.0.1, which the egress guard refuses by default: these servers allow
/// private destinations, as a self-hosted setup would (`egress` turns the guard back on).
fn quick_jobs(config: &mut Config) {
    config.jobs.poll_ms = 50;
    config.jobs.backoff_ms = 50;
    config.jobs.heartbeat_secs = 1;
    config.jobs.webhook_allow_private = true;
}

async fn spawn_with_llm(base_url: &str, customize: impl FnOnce(&mut Config)) -> TestApp {
    let base_url = base_url.parse().expect("a URL");
    spawn_app_with(|config| {
        config.llm.base_url = Some(base_url);
        config.llm.timeout_ms = 10_000;
        quick_jobs(config);
        customize(config);
    })
    .await
}

const NOTE: &str = "id text category confidence status version structurer statusReason
    refinement { state attempts lastError }";

async fn video(app: &TestApp, token: &str) -> String {
    let body = app
        .graphql(
            token,
            "mutation($input: DetectVideoInput!) { detectVideo(input: $input) { id } }",
            json!({ "input": { "url": "https://vimeo.com/4242", "durationSeconds": 300.0 } }),
        )
        .await;
    body["data"]["detectVideo"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

const SPOKEN: &str = "the music is uh too loud um";

fn transcript(video: &str, utterance: &str) -> Value {
    json!({ "utteranceId": utterance, "videoId": video, "mediaTime": 12.5, "durationMs": 2500,
            "text": SPOKEN, "confidence": 0.95, "source": "web-speech" })
}

fn submit_query() -> String {
    format!(
        "mutation($input: SubmitTranscriptInput!) {{ submitTranscript(input: $input) {{ {NOTE} }} }}"
    )
}

async fn submit(app: &TestApp, token: &str, video: &str, utterance: &str) -> Value {
    let body = app
        .graphql(
            token,
            &submit_query(),
            json!({ "input": transcript(video, utterance) }),
        )
        .await;
    let note = body["data"]["submitTranscript"].clone();
    assert!(note["id"].is_string(), "{body}");
    note
}

async fn read_note(server: &impl GraphqlServer, token: &str, id: &str) -> Value {
    let body = server
        .graphql(
            token,
            &format!("query($id: ID!) {{ note(id: $id) {{ {NOTE} }} }}"),
            json!({ "id": id }),
        )
        .await;
    body["data"]["note"].clone()
}

/// The note once `done` says so, within `limit`.
async fn note_when(
    server: &impl GraphqlServer,
    token: &str,
    id: &str,
    limit: Duration,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + limit;
    loop {
        let note = read_note(server, token, id).await;
        if done(&note) {
            // Read again: a note's fields and its refinement are read one after the other,
            // so the read that saw a job's write may have had the note from just before it.
            return read_note(server, token, id).await;
        }
        assert!(
            Instant::now() < deadline,
            "the note never got there: {note}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn refinement(note: &Value) -> &str {
    note["refinement"]["state"].as_str().unwrap_or_default()
}

const JOBS: &str = "query($state: JobState, $kind: JobKind, $first: Int, $after: String) {
    jobs(state: $state, kind: $kind, first: $first, after: $after) {
        edges { cursor node { id kind state attempts maxAttempts noteId lastResult } }
        pageInfo { hasNextPage endCursor }
    }
}";

async fn jobs(app: &TestApp, token: &str, variables: Value) -> Vec<Value> {
    let body = app.graphql(token, JOBS, variables).await;
    body["data"]["jobs"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|edge| edge["node"].clone())
        .collect()
}

/// The dead jobs of one kind once the queue has recorded `count` of them. A handler writes the
/// note's `FAILED` before it returns and the queue records the job's end only after, so a test
/// that saw the note fail waits here for the queue's side rather than reading it at once.
async fn dead_jobs(app: &TestApp, admin: &str, kind: &str, count: usize) -> Vec<Value> {
    let filter = json!({ "state": "DEAD", "kind": kind });
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let dead = jobs(app, admin, filter.clone()).await;
        if dead.len() >= count || Instant::now() > deadline {
            return dead;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

const RETRY: &str = "mutation($id: ID!) { retryJob(id: $id) { id state attempts } }";

// ---------------------------------------------------------------------------------------------
// RefineNote

/// How long a `voiceEvent` sent right after a `submitTranscript`, on the same socket, takes to
/// be acknowledged; `rounds` times, each with a new utterance.
async fn acks_after_submits(app: &TestApp, tokens: &Tokens, rounds: usize) -> Vec<Duration> {
    let video = video(app, &tokens.token).await;
    let mut extension = Extension::connect(app, tokens).await;
    let session = extension.start_on(Some(&video), 7, "page-1").await;
    let socket = &mut extension.socket;
    let mut acks = Vec::new();
    for round in 0..rounds {
        let (submit_id, event_id) = (format!("submit-{round}"), format!("event-{round}"));
        let started = Instant::now();
        socket
            .subscribe(
                &submit_id,
                &submit_query(),
                json!({ "input": transcript(&video, &format!("ratio-{round}")) }),
            )
            .await;
        socket
            .subscribe(
                &event_id,
                lossy_tests::extension::EVENT,
                json!({ "input": heartbeat(&session, round as i64 + 1) }),
            )
            .await;
        let (mut acked, mut submitted) = (None, false);
        while acked.is_none() || !submitted {
            let message = socket.next_json().await;
            if message["type"] != "next" {
                continue;
            }
            if message["id"] == event_id.as_str() {
                acked = Some(started.elapsed());
                assert!(
                    message["payload"]["data"]["voiceEvent"]["appliedSeq"].is_number(),
                    "{message}"
                );
            } else if message["id"] == submit_id.as_str() {
                submitted = true;
                assert!(
                    message["payload"]["data"]["submitTranscript"]["id"].is_string(),
                    "{message}"
                );
            }
        }
        acks.extend(acked);
    }
    acks
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

#[tokio::test]
async fn with_a_slow_llm_the_socket_answers_as_fast_as_without_and_the_refined_note_follows() {
    const ROUNDS: usize = 5;
    let plain = spawn_app_with(quick_jobs).await;
    let plain_tokens = reviewer_with(&plain, "cooldownMs: 0, mergeWithinMs: 0").await;
    let without_llm = median(acks_after_submits(&plain, &plain_tokens, ROUNDS).await);

    let (llm, base_url) = FakeLlm::start(REFINED, Duration::from_secs(3)).await;
    let app = spawn_with_llm(&base_url, |_| {}).await;
    let tokens = reviewer_with(&app, "cooldownMs: 0, mergeWithinMs: 0").await;
    let mut events = lossy_tests::subscribed_socket(
        &app,
        &tokens.token,
        "events",
        "subscription { noteEvents { __typename ... on NoteUpdated { note {
            id text category structurer version refinement { state attempts } } } } }",
    )
    .await;
    let with_llm = median(acks_after_submits(&app, &tokens, ROUNDS).await);

    let ratio = with_llm.as_secs_f64() / without_llm.as_secs_f64().max(1e-6);
    eprintln!(
        "voiceEvent ack after submitTranscript: {without_llm:?} without an LLM, {with_llm:?} with one taking 3 s (ratio {ratio:.2})"
    );
    assert!(
        ratio < 3.0,
        "with a 3 s LLM the ack took {with_llm:?}, {ratio:.2} times the {without_llm:?} without one"
    );

    // Every note's refinement arrives as a NoteUpdated with the LLM's note.
    let mut refined = std::collections::HashSet::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while refined.len() < ROUNDS {
        let left = deadline.saturating_duration_since(Instant::now());
        let Some(Frame::Json(message)) = events.next_frame_within(left).await else {
            panic!("only {} of {ROUNDS} refined notes arrived", refined.len());
        };
        let event = &message["payload"]["data"]["noteEvents"];
        if event["__typename"] != "NoteUpdated" {
            continue;
        }
        let note = &event["note"];
        assert_eq!(note["refinement"]["state"], "DONE", "{note}");
        assert_eq!(note["text"], REFINED_TEXT);
        assert_eq!(note["category"], "AUDIO");
        assert_eq!(note["structurer"], "llm");
        assert_eq!(
            note["version"], 2,
            "refined once, from the first version: {note}"
        );
        refined.insert(note["id"].as_str().unwrap_or_default().to_owned());
    }
    assert_eq!(llm.requests(), ROUNDS, "one request per note");
}

#[tokio::test]
async fn submit_transcript_answers_the_built_in_note_with_its_refinement_pending() {
    let (_llm, base_url) = FakeLlm::start(REFINED, Duration::from_secs(3)).await;
    let app = spawn_with_llm(&base_url, |_| {}).await;
    let (_, tokens) = app.new_user_with_token().await;
    let video = video(&app, &tokens.token).await;

    let started = Instant::now();
    let note = submit(&app, &tokens.token, &video, "u-1").await;
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the answer waited for the LLM"
    );
    assert_eq!(note["structurer"], "builtin");
    assert_ne!(note["text"], REFINED_TEXT);
    assert_eq!(note["refinement"]["state"], "PENDING", "{note}");

    let id = note["id"].as_str().unwrap();
    let refined = note_when(&app, &tokens.token, id, Duration::from_secs(20), |n| {
        refinement(n) == "DONE"
    })
    .await;
    assert_eq!(refined["text"], REFINED_TEXT);
    assert_eq!(refined["refinement"]["attempts"], 1);
    assert_eq!(refined["confidence"], 0.93);
}

#[tokio::test]
async fn a_reviewers_edit_made_before_the_refinement_lands_wins() {
    let (llm, base_url) = FakeLlm::start(REFINED, Duration::from_millis(1500)).await;
    let app = spawn_with_llm(&base_url, |_| {}).await;
    let (_, tokens) = app.new_user_with_token().await;
    let video = video(&app, &tokens.token).await;
    let note = submit(&app, &tokens.token, &video, "u-1").await;
    let id = note["id"].as_str().unwrap();

    let edited = app
        .graphql(
            &tokens.token,
            "mutation($input: UpdateNoteInput!) { updateNote(input: $input) { version } }",
            json!({ "input": { "id": id, "version": 1, "text": "Music: -6 dB under her lines" } }),
        )
        .await;
    assert_eq!(edited["data"]["updateNote"]["version"], 2, "{edited}");

    let done = note_when(&app, &tokens.token, id, Duration::from_secs(20), |n| {
        refinement(n) != "PENDING"
    })
    .await;
    assert_eq!(done["refinement"]["state"], "DONE", "{done}");
    assert_eq!(done["text"], "Music: -6 dB under her lines");
    assert_eq!(done["structurer"], "builtin");
    assert!(llm.requests() <= 1);
}

#[tokio::test]
async fn an_llm_answering_garbage_is_retried_then_the_refinement_fails_and_an_admin_can_retry_it() {
    let (llm, base_url) = FakeLlm::start("I think this note is about audio!", Duration::ZERO).await;
    let app = spawn_with_llm(&base_url, |config| config.jobs.refine_attempts = 3).await;
    let (_, tokens) = app.new_user_with_token().await;
    let video = video(&app, &tokens.token).await;
    let note = submit(&app, &tokens.token, &video, "u-1").await;
    let id = note["id"].as_str().unwrap();

    let failed = note_when(&app, &tokens.token, id, Duration::from_secs(20), |n| {
        refinement(n) == "FAILED"
    })
    .await;
    assert_eq!(failed["refinement"]["attempts"], 3, "{failed}");
    assert!(
        failed["refinement"]["lastError"]
            .as_str()
            .is_some_and(|e| e.contains("invalid answer")),
        "{failed}"
    );
    assert_eq!(failed["text"], note["text"], "the built-in text stays");
    assert_eq!(failed["structurer"], "builtin");
    assert_eq!(llm.requests(), 3);

    // Dead in the queue; the admin retries it once the LLM is mended.
    let admin = app.admin_token().await;
    let dead = dead_jobs(&app, &admin, "REFINE_NOTE", 1).await;
    assert_eq!(dead.len(), 1, "{dead:?}");
    assert_eq!(dead[0]["noteId"], id);
    assert_eq!(dead[0]["attempts"], 3);
    llm.answer(REFINED, Duration::ZERO);
    let retried = app
        .graphql(&admin, RETRY, json!({ "id": dead[0]["id"] }))
        .await;
    assert_eq!(retried["data"]["retryJob"]["state"], "PENDING", "{retried}");
    let refined = note_when(&app, &tokens.token, id, Duration::from_secs(20), |n| {
        refinement(n) == "DONE"
    })
    .await;
    assert_eq!(refined["text"], REFINED_TEXT);
    let again = app
        .graphql(&admin, RETRY, json!({ "id": dead[0]["id"] }))
        .await;
    assert_eq!(error_code(&again), Some("BAD_USER_INPUT"), "{again}");
}

#[tokio::test]
async fn an_llm_slower_than_its_timeout_is_retried_then_the_note_keeps_the_built_in_text() {
    let (llm, base_url) = FakeLlm::start(REFINED, Duration::from_secs(2)).await;
    let app = spawn_with_llm(&base_url, |config| {
        config.llm.timeout_ms = 200;
        config.jobs.refine_attempts = 2;
    })
    .await;
    let (_, tokens) = app.new_user_with_token().await;
    let video = video(&app, &tokens.token).await;
    let note = submit(&app, &tokens.token, &video, "u-1").await;
    let id = note["id"].as_str().unwrap();

    let failed = note_when(&app, &tokens.token, id, Duration::from_secs(20), |n| {
        refinement(n) == "FAILED"
    })
    .await;
    assert_eq!(failed["refinement"]["attempts"], 2, "{failed}");
    assert_eq!(failed["refinement"]["lastError"], "no answer in time");
    assert_eq!(failed["text"], note["text"]);
    assert_eq!(llm.requests(), 2);
}

#[tokio::test]
async fn a_note_deleted_before_its_refinement_ends_the_job_without_a_change() {
    let (llm, base_url) = FakeLlm::start(REFINED, Duration::from_millis(1500)).await;
    let app = spawn_with_llm(&base_url, |_| {}).await;
    let (_, tokens) = app.new_user_with_token().await;
    let video = video(&app, &tokens.token).await;
    let note = submit(&app, &tokens.token, &video, "u-1").await;
    let id = note["id"].as_str().unwrap();
    let deleted = app
        .graphql(
            &tokens.token,
            "mutation($id: ID!) { deleteNote(id: $id) { version } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(deleted["data"]["deleteNote"]["version"], 2, "{deleted}");

    let admin = app.admin_token().await;
    assert!(
        eventually(Duration::from_secs(20), || async {
            jobs(
                &app,
                &admin,
                json!({ "state": "DONE", "kind": "REFINE_NOTE" }),
            )
            .await
            .len()
                == 1
        })
        .await,
        "the job did not end"
    );
    let after = read_note(&app, &tokens.token, id).await;
    assert_eq!(after["version"], 2, "{after}");
    assert_eq!(after["text"], note["text"]);
    assert!(llm.requests() <= 1);
}

#[tokio::test]
async fn jobs_and_their_retry_are_for_admins_and_page_newest_first() {
    let (_llm, base_url) = FakeLlm::start(REFINED, Duration::ZERO).await;
    let app = spawn_with_llm(&base_url, |_| {}).await;
    let (_, tokens) = app.new_user_with_token().await;
    let video = video(&app, &tokens.token).await;
    for utterance in ["u-1", "u-2", "u-3"] {
        submit(&app, &tokens.token, &video, utterance).await;
    }

    let body = app.graphql(&tokens.token, JOBS, json!({})).await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let body = app
        .graphql(
            &tokens.token,
            RETRY,
            json!({ "id": "01ARZ3NDEKTSV4RRFFQ69G5FAV" }),
        )
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");

    let admin = app.admin_token().await;
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let body = app
            .graphql(
                &admin,
                JOBS,
                json!({ "kind": "REFINE_NOTE", "first": 2, "after": after }),
            )
            .await;
        let page = &body["data"]["jobs"];
        for edge in page["edges"].as_array().unwrap_or_else(|| panic!("{body}")) {
            seen.push(edge["node"]["id"].as_str().unwrap().to_owned());
        }
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len(), 3, "{seen:?}");
    let mut newest_first = seen.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, newest_first);

    let body = app
        .graphql(&admin, RETRY, json!({ "id": "01ARZ3NDEKTSV4RRFFQ69G5FAV" }))
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
}

// ---------------------------------------------------------------------------------------------
// PostNote

const SET_WEBHOOK: &str =
    "mutation($input: WebhookInput!) { setWebhook(input: $input) { url updatedAt } }";
const POST: &str = "mutation($id: ID!) { postNote(id: $id) { id status version } }";

async fn with_webhook(app: &TestApp, url: &str) -> (Tokens, String) {
    let (_, tokens) = app.new_user_with_token().await;
    let set = app
        .graphql(
            &tokens.token,
            SET_WEBHOOK,
            json!({ "input": { "url": url, "secret": HOOK_SECRET } }),
        )
        .await;
    assert_eq!(set["data"]["setWebhook"]["url"], url, "{set}");
    let video = video(app, &tokens.token).await;
    (tokens, video)
}

/// A typed note of the user's, `FIRMED`.
async fn typed_note(app: &TestApp, token: &str, video: &str, text: &str) -> String {
    let body = app
        .graphql(
            token,
            "mutation($input: CreateNoteInput!) { createNote(input: $input) { id } }",
            json!({ "input": { "videoId": video, "text": text, "category": "AUDIO",
                               "timestampSeconds": 83.5 } }),
        )
        .await;
    body["data"]["createNote"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

fn status(note: &Value) -> &str {
    note["status"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_posted_note_reaches_the_webhook_signed_and_moves_queued_posting_posted() {
    let (hook, url) = FakeHook::start(vec![HookReply::Status(200)]).await;
    let app = spawn_app_with(quick_jobs).await;
    let (tokens, video) = with_webhook(&app, &url).await;
    let id = typed_note(
        &app,
        &tokens.token,
        &video,
        "Lower the music <here> & there",
    )
    .await;
    let mut events = lossy_tests::subscribed_socket(
        &app,
        &tokens.token,
        "events",
        "subscription { noteEvents { __typename ... on NoteUpdated { note { id status version } } } }",
    )
    .await;

    let posted = app.graphql(&tokens.token, POST, json!({ "id": id })).await;
    assert_eq!(posted["data"]["postNote"]["status"], "QUEUED", "{posted}");
    let mut moves = Vec::new();
    while moves.last().map(String::as_str) != Some("POSTED") {
        let Some(Frame::Json(message)) = events.next_frame_within(Duration::from_secs(20)).await
        else {
            panic!("the note stopped at {moves:?}");
        };
        let event = &message["payload"]["data"]["noteEvents"];
        if event["__typename"] == "NoteUpdated" {
            moves.push(event["note"]["status"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(moves, ["QUEUED", "POSTING", "POSTED"]);

    let received = hook.received();
    assert_eq!(received.len(), 1, "{received:?}");
    let delivery = &received[0];
    assert!(signed_right(delivery), "bad signature on {delivery:?}");
    assert!(!delivery.id.is_empty());
    let body = delivery.json();
    assert_eq!(body["deliveryId"], delivery.id.as_str());
    assert_eq!(body["note"]["id"], id.as_str());
    let text = body["text"].as_str().unwrap();
    assert!(text.starts_with("[audio] 1:23"), "{text}");
    assert!(
        text.contains("Lower the music &lt;here&gt; &amp; there"),
        "{text}"
    );

    // Posted notes are not posted again.
    let again = app.graphql(&tokens.token, POST, json!({ "id": id })).await;
    assert_eq!(error_code(&again), Some("BAD_USER_INPUT"), "{again}");
}

#[tokio::test]
async fn a_webhook_answering_500_is_retried_then_the_note_fails_and_a_retried_job_posts_it() {
    let (hook, url) = FakeHook::start(vec![HookReply::Status(500)]).await;
    let app = spawn_app_with(|config| {
        quick_jobs(config);
        config.jobs.post_attempts = 3;
    })
    .await;
    let (tokens, video) = with_webhook(&app, &url).await;
    let id = typed_note(&app, &tokens.token, &video, "Fix the title typo").await;
    app.graphql(&tokens.token, POST, json!({ "id": id })).await;

    let failed = note_when(&app, &tokens.token, &id, Duration::from_secs(20), |n| {
        status(n) == "FAILED"
    })
    .await;
    assert!(
        failed["statusReason"]
            .as_str()
            .is_some_and(|r| r.contains("500")),
        "{failed}"
    );
    let received = hook.received();
    assert_eq!(received.len(), 3, "three tries");
    assert!(
        received.iter().all(|d| d.id == received[0].id),
        "one posting, one id"
    );

    let admin = app.admin_token().await;
    let dead = dead_jobs(&app, &admin, "POST_NOTE", 1).await;
    assert_eq!(dead.len(), 1, "{dead:?}");
    // The dead letter is counted for the alert in docs/ops (the recorder is the test process's
    // own, shared by the tests that run beside this one, so only "counted at all" is certain).
    let metrics = app.metrics().await;
    assert!(
        metrics.lines().any(|l| {
            l.starts_with("lossy_jobs_dead_total{kind=\"post_note\"}") && !l.ends_with(" 0")
        }),
        "no dead post_note job counted on /metrics"
    );
    hook.then(vec![HookReply::Status(204)]);
    let retried = app
        .graphql(&admin, RETRY, json!({ "id": dead[0]["id"] }))
        .await;
    assert_eq!(retried["data"]["retryJob"]["attempts"], 0, "{retried}");
    let posted = note_when(&app, &tokens.token, &id, Duration::from_secs(20), |n| {
        status(n) == "POSTED"
    })
    .await;
    assert_eq!(posted["statusReason"], Value::Null);
    assert_eq!(hook.accepted(), 1);
}

#[tokio::test]
async fn only_the_latest_posting_of_a_note_can_be_retried() {
    let (hook, url) = FakeHook::start(vec![HookReply::Status(503)]).await;
    let app = spawn_app_with(|config| {
        quick_jobs(config);
        config.jobs.post_attempts = 1;
    })
    .await;
    let (tokens, video) = with_webhook(&app, &url).await;
    let id = typed_note(&app, &tokens.token, &video, "Fix the title typo").await;
    let admin = app.admin_token().await;
    for posting in 1..=2 {
        let queued = app.graphql(&tokens.token, POST, json!({ "id": id })).await;
        assert_eq!(queued["data"]["postNote"]["status"], "QUEUED", "{queued}");
        note_when(&app, &tokens.token, &id, Duration::from_secs(20), |n| {
            status(n) == "FAILED"
        })
        .await;
        assert_eq!(
            dead_jobs(&app, &admin, "POST_NOTE", posting).await.len(),
            posting
        );
    }
    // Newest first: the second posting, then the first.
    let dead = jobs(&app, &admin, json!({ "state": "DEAD" })).await;
    let superseded = app
        .graphql(&admin, RETRY, json!({ "id": dead[1]["id"] }))
        .await;
    assert_eq!(
        error_code(&superseded),
        Some("JOB_SUPERSEDED"),
        "{superseded}"
    );
    assert_eq!(
        read_note(&app, &tokens.token, &id).await["status"],
        "FAILED"
    );

    hook.then(vec![HookReply::Status(200)]);
    let latest = app
        .graphql(&admin, RETRY, json!({ "id": dead[0]["id"] }))
        .await;
    assert_eq!(latest["data"]["retryJob"]["state"], "PENDING", "{latest}");
    note_when(&app, &tokens.token, &id, Duration::from_secs(20), |n| {
        status(n) == "POSTED"
    })
    .await;
}

#[tokio::test]
async fn a_redirect_or_a_refusal_needs_the_reviewer_without_a_retry() {
    for (reply, expected) in [
        (
            HookReply::Redirect("http://127.0.0.1:9/elsewhere"),
            "redirect",
        ),
        (HookReply::Status(404), "404"),
    ] {
        let (hook, url) = FakeHook::start(vec![reply]).await;
        let app = spawn_app_with(quick_jobs).await;
        let (tokens, video) = with_webhook(&app, &url).await;
        let id = typed_note(&app, &tokens.token, &video, "Reframe the shot").await;
        app.graphql(&tokens.token, POST, json!({ "id": id })).await;
        let stuck = note_when(&app, &tokens.token, &id, Duration::from_secs(20), |n| {
            status(n) == "NEEDS_INTERVENTION"
        })
        .await;
        assert!(
            stuck["statusReason"]
                .as_str()
                .is_some_and(|r| r.contains(expected)),
            "{stuck}"
        );
        assert_eq!(hook.received().len(), 1, "not retried");

        // Posting it again is a new posting, with a new delivery id.
        hook.then(vec![HookReply::Status(200)]);
        let again = app.graphql(&tokens.token, POST, json!({ "id": id })).await;
        assert_eq!(again["data"]["postNote"]["status"], "QUEUED", "{again}");
        note_when(&app, &tokens.token, &id, Duration::from_secs(20), |n| {
            status(n) == "POSTED"
        })
        .await;
        let received = hook.received();
        assert_eq!(received.len(), 2);
        assert_ne!(received[0].id, received[1].id);
    }
}

#[tokio::test]
async fn a_webhook_that_times_out_is_tried_again() {
    let (hook, url) = FakeHook::start(vec![
        HookReply::Slow(Duration::from_secs(3)),
        HookReply::Status(200),
    ])
    .await;
    let app = spawn_app_with(|config| {
        quick_jobs(config);
        config.jobs.webhook_timeout_ms = 300;
    })
    .await;
    let (tokens, video) = with_webhook(&app, &url).await;
    let id = typed_note(&app, &tokens.token, &video, "Cut earlier").await;
    app.graphql(&tokens.token, POST, json!({ "id": id })).await;
    note_when(&app, &tokens.token, &id, Duration::from_secs(20), |n| {
        status(n) == "POSTED"
    })
    .await;
    let received = hook.received();
    assert_eq!(received.len(), 2, "{received:?}");
    assert_eq!(
        received[0].id, received[1].id,
        "the same posting, tried again"
    );
}

#[tokio::test]
async fn posting_needs_a_webhook_and_a_note_that_may_be_posted() {
    let app = spawn_app_with(quick_jobs).await;
    let (_, tokens) = app.new_user_with_token().await;
    let video = video(&app, &tokens.token).await;
    let id = typed_note(&app, &tokens.token, &video, "Too warm").await;
    let refused = app.graphql(&tokens.token, POST, json!({ "id": id })).await;
    assert_eq!(error_code(&refused), Some("NO_INTEGRATION"), "{refused}");
    assert_eq!(
        read_note(&app, &tokens.token, &id).await["status"],
        "FIRMED"
    );

    for (url, secret) in [
        ("ftp://example.test/hook", HOOK_SECRET),
        ("http://127.0.0.1:9/hook", "short"),
    ] {
        let body = app
            .graphql(
                &tokens.token,
                SET_WEBHOOK,
                json!({ "input": { "url": url, "secret": secret } }),
            )
            .await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    }
    let other = app.new_user_with_token().await.1;
    let body = app.graphql(&other.token, POST, json!({ "id": id })).await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
}

// ---------------------------------------------------------------------------------------------
// SIGKILL

/// A `lossy serve` process for the kill test: a quick queue, the fake LLM, and a webhook
/// delivery that stays in flight until the server is killed.
async fn job_server(
    binary: &Path,
    data_dir: &Path,
    database: Option<&str>,
    llm: &str,
) -> ServerProcess {
    let env = [
        ("LOSSY_LLM_BASE_URL", llm),
        ("LOSSY_LLM_TIMEOUT_MS", "10000"),
        ("LOSSY_JOBS_POLL_MS", "50"),
        ("LOSSY_JOBS_BACKOFF_MS", "50"),
        ("LOSSY_JOBS_HEARTBEAT_SECS", "1"),
        // The fake webhook listens on 127.0.0.1.
        ("LOSSY_WEBHOOK_ALLOW_PRIVATE", "true"),
        ("LOSSY_WEBHOOK_TIMEOUT_MS", "60000"),
    ];
    ServerProcess::start(binary, data_dir, database, &env).await
}

/// The note's `NoteUpdated` events, oldest first, as the event log holds them.
async fn updates_of(data_dir: &Path, database: Option<&str>, id: &str) -> Vec<Value> {
    use lossy_entities::note_events;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let url = database.map_or_else(
        || format!("sqlite://{}?mode=ro", data_dir.join("lossy.db").display()),
        str::to_owned,
    );
    let db = sea_orm::Database::connect(url.as_str())
        .await
        .expect("the server's database");
    let rows = note_events::Entity::find()
        .filter(note_events::Column::Kind.eq("updated"))
        .order_by_asc(note_events::Column::Seq)
        .all(&db)
        .await
        .expect("the event log");
    let _ = db.close().await;
    rows.iter()
        .map(|row| serde_json::from_str::<Value>(&row.payload).expect("a JSON payload"))
        .map(|payload| payload["note"].clone())
        .filter(|note| note["id"] == id)
        .collect()
}

#[tokio::test]
async fn after_a_sigkill_mid_refinement_and_mid_post_each_completes_exactly_once() {
    let binary = lossy_binary();
    let (llm, base_url) = FakeLlm::start(REFINED, Duration::from_secs(3)).await;
    let (hook, hook_url) = FakeHook::start(vec![HookReply::Hang, HookReply::Status(200)]).await;
    let data_dir = tempfile::tempdir().expect("data folder");
    let database = lossy_tests::postgres_database().await;

    let first = job_server(&binary, data_dir.path(), database.as_deref(), &base_url).await;
    let token = first.admin_token().await;
    let set = first
        .graphql(
            &token,
            SET_WEBHOOK,
            json!({ "input": { "url": hook_url, "secret": HOOK_SECRET } }),
        )
        .await;
    assert!(set["data"]["setWebhook"]["url"].is_string(), "{set}");
    let video = first
        .graphql(
            &token,
            "mutation($input: DetectVideoInput!) { detectVideo(input: $input) { id } }",
            json!({ "input": { "url": "https://vimeo.com/77", "durationSeconds": 300.0 } }),
        )
        .await["data"]["detectVideo"]["id"]
        .as_str()
        .expect("a video")
        .to_owned();
    let spoken = first
        .graphql(
            &token,
            &submit_query(),
            json!({ "input": transcript(&video, "k-1") }),
        )
        .await;
    let refined_id = spoken["data"]["submitTranscript"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{spoken}"))
        .to_owned();
    let typed = first
        .graphql(
            &token,
            "mutation($input: CreateNoteInput!) { createNote(input: $input) { id } }",
            json!({ "input": { "videoId": video, "text": "Title typo", "category": "GRAPHICS",
                               "timestampSeconds": 3.0 } }),
        )
        .await;
    let posted_id = typed["data"]["createNote"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{typed}"))
        .to_owned();
    let queued = first
        .graphql(&token, POST, json!({ "id": posted_id }))
        .await;
    assert_eq!(queued["data"]["postNote"]["status"], "QUEUED", "{queued}");

    // Both in flight: the LLM is thinking, the webhook holds the delivery.
    assert!(
        eventually(Duration::from_secs(20), || async {
            llm.requests() == 1 && hook.received().len() == 1
        })
        .await,
        "the jobs did not start: {} LLM requests, {} deliveries",
        llm.requests(),
        hook.received().len()
    );
    first.sigkill().await;

    let second = job_server(&binary, data_dir.path(), database.as_deref(), &base_url).await;
    let refined = note_when(&second, &token, &refined_id, Duration::from_secs(60), |n| {
        refinement(n) == "DONE"
    })
    .await;
    assert_eq!(
        refined["text"],
        REFINED_TEXT,
        "{refined} after {:?}",
        updates_of(data_dir.path(), database.as_deref(), &refined_id).await
    );
    let posted = note_when(&second, &token, &posted_id, Duration::from_secs(60), |n| {
        status(n) == "POSTED"
    })
    .await;
    assert_eq!(posted["statusReason"], Value::Null);

    // Exactly once: one refinement applied, one delivery accepted (the cut one was never
    // answered), both tries of that posting under one delivery id.
    let refinements = updates_of(data_dir.path(), database.as_deref(), &refined_id).await;
    assert_eq!(refinements.len(), 1, "{refinements:?}");
    assert_eq!(refinements[0]["structurer"], "llm");
    let moves: Vec<Value> = updates_of(data_dir.path(), database.as_deref(), &posted_id)
        .await
        .iter()
        .map(|n| n["status"].clone())
        .collect();
    assert_eq!(moves, [json!("queued"), json!("posting"), json!("posted")]);
    assert_eq!(hook.accepted(), 1);
    let deliveries = hook.received();
    assert_eq!(deliveries.len(), 2, "{deliveries:?}");
    assert_eq!(deliveries[0].id, deliveries[1].id);
    // Nothing runs again later.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(hook.received().len(), 2);
    assert_eq!(llm.requests(), 2);
    second.sigkill().await;
}
