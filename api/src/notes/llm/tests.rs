//! The LLM structurer against a fake chat-completions server that each test starts on a free
//! local port. The real endpoint (OpenAI, a local llama.cpp, …) is a boundary we do not own,
//! so the fake plays its part: the test scripts its replies and reads what it was sent. The
//! fallback is a fixed answer, so that these tests do not depend on the built-in structurer.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use url::Url;

use super::*;
use crate::notes::structurer::Category;

const KEY: &str = "sk-test-key";

/// The fallback: always the same answer, and it never fails.
struct Fixed(Structured);

#[async_trait]
impl NoteStructurer for Fixed {
    async fn structure(&self, _transcript: Transcript<'_>) -> Structured {
        self.0.clone()
    }

    fn name(&self) -> &'static str {
        "fixed"
    }
}

fn fallback_note() -> StructuredNote {
    StructuredNote {
        text: "The music is too loud um".into(),
        category: Category::General,
        confidence: 0.3,
    }
}

fn llm_note() -> StructuredNote {
    StructuredNote {
        text: "The music is too loud".into(),
        category: Category::Audio,
        confidence: 0.9,
    }
}

const LLM_NOTE_JSON: &str =
    r#"{"category": "audio", "text": "The music is too loud", "confidence": 0.9}"#;

const TRANSCRIPT: Transcript<'static> = Transcript {
    text: "the music is uh too loud um",
    confidence: Some(0.8),
};

/// One scripted answer of the fake.
#[derive(Clone)]
struct Reply {
    status: StatusCode,
    body: String,
    delay: Duration,
}

impl Reply {
    /// A completion whose message content is `content`.
    fn content(content: &str) -> Reply {
        let body = json!({
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "choices": [{
                "index": 0,
                "message": { "role": "assistant", "content": content },
                "finish_reason": "stop",
            }],
        });
        Reply {
            status: StatusCode::OK,
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    fn status(status: StatusCode) -> Reply {
        Reply {
            status,
            body: r#"{"error": {"message": "fake failure"}}"#.into(),
            delay: Duration::ZERO,
        }
    }

    fn after(self, delay: Duration) -> Reply {
        Reply { delay, ..self }
    }
}

/// What the fake was sent.
struct Seen {
    authorization: Option<String>,
    body: Value,
}

/// The fake server: the n-th request gets the n-th reply (the last one once they run out).
#[derive(Clone)]
struct FakeLlm {
    replies: Arc<Vec<Reply>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl FakeLlm {
    /// Serves `POST /v1/chat/completions` until the test ends; returns the base URL with it.
    async fn start(replies: Vec<Reply>) -> (FakeLlm, Url) {
        assert!(!replies.is_empty(), "the fake needs at least one reply");
        let fake = FakeLlm {
            replies: Arc::new(replies),
            seen: Arc::default(),
        };
        let router = Router::new()
            .route("/v1/chat/completions", post(chat_completions))
            .with_state(fake.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("local address");
        tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
        let base_url = Url::parse(&format!("http://{address}/v1")).expect("base URL");
        (fake, base_url)
    }

    fn requests(&self) -> usize {
        self.seen.lock().expect("lock").len()
    }

    fn first_request(&self) -> (Option<String>, Value) {
        let seen = self.seen.lock().expect("lock");
        let first = seen.first().expect("a request");
        (first.authorization.clone(), first.body.clone())
    }
}

async fn chat_completions(
    State(fake): State<FakeLlm>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .map(|value| value.to_str().expect("ASCII header").to_owned());
    let index = {
        let mut seen = fake.seen.lock().expect("lock");
        seen.push(Seen {
            authorization,
            body,
        });
        seen.len() - 1
    };
    let reply = &fake.replies[index.min(fake.replies.len() - 1)];
    tokio::time::sleep(reply.delay).await;
    (reply.status, reply.body.clone()).into_response()
}

/// Generous enough for a loaded machine; the timeout test sets its own.
fn config(base_url: Url) -> LlmConfig {
    LlmConfig {
        base_url: Some(base_url),
        api_key: Some(Secret::new(KEY)),
        model: "fake-model".into(),
        timeout_ms: 5_000,
    }
}

fn structurer(config: &LlmConfig, fallback: Structured) -> LlmStructurer {
    LlmStructurer::from_config(config, Arc::new(Fixed(fallback)))
        .expect("set up")
        .expect("a base URL")
}

/// Structures [`TRANSCRIPT`] against a fake with `replies`, the fallback answering with
/// [`fallback_note`]; returns the result and the number of requests made.
async fn structure_with(replies: Vec<Reply>) -> (Structured, usize) {
    let (fake, base_url) = FakeLlm::start(replies).await;
    let llm = structurer(&config(base_url), Structured::Note(fallback_note()));
    let result = llm.structure(TRANSCRIPT).await;
    (result, fake.requests())
}

#[tokio::test]
async fn a_good_answer_is_the_llms_note() {
    let (result, requests) = structure_with(vec![Reply::content(LLM_NOTE_JSON)]).await;
    assert_eq!(result, Structured::Note(llm_note()));
    assert_eq!(requests, 1);
}

#[tokio::test]
async fn a_fenced_answer_is_read() {
    let fenced = format!("```json\n{LLM_NOTE_JSON}\n```");
    let (result, requests) = structure_with(vec![Reply::content(&fenced)]).await;
    assert_eq!(result, Structured::Note(llm_note()));
    assert_eq!(requests, 1);
}

#[tokio::test]
async fn an_invalid_answer_is_retried_once_then_the_fallback_answers() {
    let (result, requests) = structure_with(vec![Reply::content("{not json")]).await;
    assert_eq!(result, Structured::Note(fallback_note()));
    assert_eq!(requests, 2);
}

#[tokio::test]
async fn a_slow_server_is_retried_once_then_the_fallback_answers() {
    let (fake, base_url) = FakeLlm::start(vec![
        Reply::content(LLM_NOTE_JSON).after(Duration::from_secs(30)),
    ])
    .await;
    let config = LlmConfig {
        timeout_ms: 100,
        ..config(base_url)
    };
    let llm = structurer(&config, Structured::Note(fallback_note()));
    let started = tokio::time::Instant::now();
    assert_eq!(
        llm.structure(TRANSCRIPT).await,
        Structured::Note(fallback_note())
    );
    assert_eq!(fake.requests(), 2);
    // Two timeouts, not the fake's 30 s.
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn server_errors_and_rate_limits_are_retried_once_then_the_fallback_answers() {
    for status in [
        StatusCode::INTERNAL_SERVER_ERROR,
        StatusCode::SERVICE_UNAVAILABLE,
        StatusCode::TOO_MANY_REQUESTS,
    ] {
        let (result, requests) = structure_with(vec![Reply::status(status)]).await;
        assert_eq!(result, Structured::Note(fallback_note()), "{status}");
        assert_eq!(requests, 2, "{status}");
    }
}

#[tokio::test]
async fn a_rejected_request_is_not_retried() {
    for status in [
        StatusCode::BAD_REQUEST,
        StatusCode::UNAUTHORIZED,
        StatusCode::NOT_FOUND,
    ] {
        let (result, requests) = structure_with(vec![Reply::status(status)]).await;
        assert_eq!(result, Structured::Note(fallback_note()), "{status}");
        assert_eq!(requests, 1, "{status}");
    }
}

#[tokio::test]
async fn the_retry_after_a_server_error_can_succeed() {
    let (result, requests) = structure_with(vec![
        Reply::status(StatusCode::INTERNAL_SERVER_ERROR),
        Reply::content(LLM_NOTE_JSON),
    ])
    .await;
    assert_eq!(result, Structured::Note(llm_note()));
    assert_eq!(requests, 2);
}

#[tokio::test]
async fn an_unreachable_server_means_the_fallback_answers() {
    // A port that was free a moment ago: connections to it are refused.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("local address");
    drop(listener);
    let base_url = Url::parse(&format!("http://{address}/v1")).expect("base URL");
    let llm = structurer(&config(base_url), Structured::Note(fallback_note()));
    assert_eq!(
        llm.structure(TRANSCRIPT).await,
        Structured::Note(fallback_note())
    );
}

#[tokio::test]
async fn an_https_endpoint_whose_tls_handshake_fails_falls_back() {
    // Something that answers, but not with TLS: the handshake fails, and the note falls back.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            use tokio::io::AsyncWriteExt;
            let _ = socket.write_all(b"HTTP/1.1 400 not TLS\r\n\r\n").await;
        }
    });
    let base_url = Url::parse(&format!("https://{address}/v1")).expect("base URL");
    let llm = structurer(&config(base_url), Structured::Note(fallback_note()));
    assert_eq!(
        llm.structure(TRANSCRIPT).await,
        Structured::Note(fallback_note())
    );
}

#[tokio::test]
async fn a_cancellation_needs_no_request() {
    let (fake, base_url) = FakeLlm::start(vec![Reply::content(LLM_NOTE_JSON)]).await;
    let llm = structurer(&config(base_url), Structured::Cancelled);
    assert_eq!(llm.structure(TRANSCRIPT).await, Structured::Cancelled);
    assert_eq!(fake.requests(), 0);
}

#[tokio::test]
async fn the_request_carries_the_key_the_model_and_the_transcript() {
    let (fake, base_url) = FakeLlm::start(vec![Reply::content(LLM_NOTE_JSON)]).await;
    let llm = structurer(&config(base_url), Structured::Note(fallback_note()));
    llm.structure(TRANSCRIPT).await;
    let (authorization, body) = fake.first_request();
    assert_eq!(authorization, Some(format!("Bearer {KEY}")));
    assert_eq!(body["model"], "fake-model");
    assert_eq!(body["temperature"], 0.0);
    assert_eq!(body["messages"][0]["role"], "system");
    assert_eq!(body["messages"][1]["content"], TRANSCRIPT.text);
}

#[tokio::test]
async fn without_a_key_no_authorization_is_sent() {
    let (fake, base_url) = FakeLlm::start(vec![Reply::content(LLM_NOTE_JSON)]).await;
    let config = LlmConfig {
        api_key: None,
        ..config(base_url)
    };
    let llm = structurer(&config, Structured::Note(fallback_note()));
    assert_eq!(
        llm.structure(TRANSCRIPT).await,
        Structured::Note(llm_note())
    );
    assert_eq!(fake.first_request().0, None);
}

#[test]
fn without_a_base_url_the_builtin_structurer_works_alone() {
    let builtin: Arc<dyn NoteStructurer> = Arc::new(Fixed(Structured::Cancelled));
    let config = LlmConfig::default();
    assert!(
        LlmStructurer::from_config(&config, Arc::clone(&builtin))
            .expect("set up")
            .is_none()
    );
    assert_eq!(
        note_structurer(&config, builtin).expect("set up").name(),
        "fixed"
    );
}

#[test]
fn with_a_base_url_the_llm_structurer_runs() {
    let config = config(Url::parse("http://127.0.0.1:8080/v1").expect("URL"));
    let builtin: Arc<dyn NoteStructurer> = Arc::new(Fixed(Structured::Cancelled));
    assert_eq!(
        note_structurer(&config, builtin).expect("set up").name(),
        "llm"
    );
}

#[test]
fn the_endpoint_is_below_the_base_url() {
    for (base, endpoint) in [
        (
            "http://127.0.0.1:8080/v1",
            "http://127.0.0.1:8080/v1/chat/completions",
        ),
        (
            "http://127.0.0.1:8080/v1/",
            "http://127.0.0.1:8080/v1/chat/completions",
        ),
        (
            "https://llm.example.com",
            "https://llm.example.com/chat/completions",
        ),
    ] {
        let base = Url::parse(base).expect("URL");
        assert_eq!(
            chat_completions_url(&base).expect("joined").as_str(),
            endpoint
        );
    }
}

#[test]
fn only_http_base_urls_are_accepted() {
    let base = Url::parse("ftp://llm.example.com/v1").expect("URL");
    assert!(matches!(
        chat_completions_url(&base),
        Err(LlmSetupError::UnsupportedScheme(scheme)) if scheme == "ftp"
    ));
}

#[test]
fn failures_are_logged_with_their_causes() {
    let failure = AttemptError::Invalid(InvalidAnswer::EmptyText);
    assert_eq!(
        Causes(&failure).to_string(),
        "invalid answer: the text is empty"
    );
}
