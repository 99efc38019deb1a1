//! The OpenAI-compatible chat-completions structurer, with the built-in one as its fallback.
//!
//! For each transcript [`LlmStructurer`] first runs the fallback, which is cheap and
//! deterministic: when it says the reviewer took the remark back, that is the answer and no
//! request is made. Otherwise the model is asked (`POST <base>/chat/completions`, the prompt
//! of `chat`) for one JSON object, which `answer` validates. An attempt is bounded by
//! `LOSSY_LLM_TIMEOUT_MS`; a failed one is retried once when a second try may fare better,
//! and after that the fallback's note is the answer. A note therefore takes at most two
//! timeouts, and a broken or absent LLM only costs the notes their polish.
//!
//! Metrics: `lossy_llm_requests_total{outcome="ok|invalid|timeout|error"}` per attempt,
//! `lossy_llm_fallbacks_total` per note that the fallback made after all.
//!
//! The refinement job (`crate::jobs`) asks through [`LlmStructurer::refine`] instead: one
//! attempt, no fallback, and an error that says whether trying again may help, because the job
//! retries with its own backoff and records each failure on the note.

mod answer;
mod chat;
#[cfg(test)]
mod tests;

use std::error::Error;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use reqwest::StatusCode;
use url::Url;

use self::answer::InvalidAnswer;
use self::chat::ChatRequest;
use super::structurer::{NoteStructurer, Structured, StructuredNote, Transcript};
use crate::config::{LlmConfig, Secret};

/// Two attempts: a dropped connection, a busy server or a malformed answer is often momentary,
/// and a third wait would keep the reviewer from a note the fallback already has.
const ATTEMPTS: u32 = 2;

/// Structures notes with an OpenAI-compatible chat-completions API, falling back to another
/// structurer (the built-in one) for cancellations and whenever the API fails.
pub struct LlmStructurer {
    /// One client for every request, so that connections are pooled and reused.
    client: reqwest::Client,
    endpoint: Url,
    api_key: Option<Secret>,
    model: String,
    timeout: Duration,
    system_prompt: String,
    fallback: Arc<dyn NoteStructurer>,
}

/// Why the LLM structurer could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum LlmSetupError {
    #[error("the LLM base URL must be http or https, not {0}")]
    UnsupportedScheme(String),
    #[error("could not build the LLM HTTP client")]
    Client(#[from] reqwest::Error),
}

/// The structurer the server runs: the LLM one in front of `builtin` when `config` names a
/// base URL, else `builtin` alone.
pub fn note_structurer(
    config: &LlmConfig,
    builtin: Arc<dyn NoteStructurer>,
) -> Result<Arc<dyn NoteStructurer>, LlmSetupError> {
    Ok(
        match LlmStructurer::from_config(config, Arc::clone(&builtin))? {
            Some(llm) => Arc::new(llm),
            None => builtin,
        },
    )
}

impl LlmStructurer {
    /// The LLM structurer `config` describes, or `None` when it names no base URL.
    pub fn from_config(
        config: &LlmConfig,
        fallback: Arc<dyn NoteStructurer>,
    ) -> Result<Option<Self>, LlmSetupError> {
        let Some(base_url) = &config.base_url else {
            return Ok(None);
        };
        Ok(Some(LlmStructurer {
            client: reqwest::Client::builder().build()?,
            endpoint: chat_completions_url(base_url)?,
            api_key: config.api_key.clone(),
            model: config.model.clone(),
            timeout: config.timeout(),
            system_prompt: chat::system_prompt(),
            fallback,
        }))
    }

    /// The model's note, or `None` once it failed as many times as it may.
    async fn ask(&self, transcript: &str) -> Option<StructuredNote> {
        for attempt in 1..=ATTEMPTS {
            let failure = match self.attempt(transcript).await {
                Ok(note) => {
                    count_request("ok");
                    return Some(note);
                }
                Err(failure) => failure,
            };
            count_request(failure.outcome());
            let retry = attempt < ATTEMPTS && failure.is_worth_retrying();
            tracing::warn!(attempt, retry, error = %Causes(&failure), "LLM structuring failed");
            if !retry {
                break;
            }
        }
        None
    }

    /// One request, bounded as a whole (connecting, waiting, reading the body) by the timeout.
    async fn attempt(&self, transcript: &str) -> Result<StructuredNote, AttemptError> {
        tokio::time::timeout(self.timeout, self.request(transcript))
            .await
            .map_err(|_elapsed| AttemptError::Timeout)?
    }

    async fn request(&self, transcript: &str) -> Result<StructuredNote, AttemptError> {
        let body = ChatRequest::new(&self.model, &self.system_prompt, transcript);
        let mut request = self.client.post(self.endpoint.clone()).json(&body);
        if let Some(key) = &self.api_key {
            // reqwest marks the header sensitive, which keeps the key out of its own logs.
            request = request.bearer_auth(key.expose());
        }
        let response = request.send().await?;
        let status = response.status();
        if !status.is_success() {
            return Err(AttemptError::Status(status));
        }
        let body = response.bytes().await?;
        Ok(answer::parse_completion(&body)?)
    }
}

/// Why one refinement request gave no note: shown on the note (`refinement.lastError`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RefineError {
    pub message: String,
    /// Whether a later try may fare better (a slow or busy server, a malformed answer); a
    /// rejected request (a wrong key, an unknown model) would be rejected again.
    pub retryable: bool,
}

impl LlmStructurer {
    /// The model's note for `transcript`: one request, bounded by the timeout, no fallback.
    pub async fn refine(&self, transcript: &str) -> Result<StructuredNote, RefineError> {
        match self.attempt(transcript).await {
            Ok(note) => {
                count_request("ok");
                Ok(note)
            }
            Err(failure) => {
                count_request(failure.outcome());
                tracing::warn!(error = %Causes(&failure), "LLM refinement failed");
                Err(RefineError {
                    message: Causes(&failure).to_string(),
                    retryable: failure.is_worth_retrying(),
                })
            }
        }
    }
}

#[async_trait]
impl NoteStructurer for LlmStructurer {
    async fn structure(&self, transcript: Transcript<'_>) -> Structured {
        let fallback = self.fallback.structure(transcript).await;
        // A cancellation needs no polish, and the fallback is trusted to recognise one.
        if matches!(fallback, Structured::Cancelled) {
            return fallback;
        }
        match self.ask(transcript.text).await {
            Some(note) => Structured::Note(note),
            None => {
                metrics::counter!("lossy_llm_fallbacks_total").increment(1);
                fallback
            }
        }
    }

    fn name(&self) -> &'static str {
        "llm"
    }
}

/// `<base>/chat/completions`, joined as OpenAI's client libraries do: the base's path is kept,
/// whether or not it ends in a slash (`Url::join` would drop its last segment).
fn chat_completions_url(base: &Url) -> Result<Url, LlmSetupError> {
    let unsupported = || LlmSetupError::UnsupportedScheme(base.scheme().to_owned());
    if !matches!(base.scheme(), "http" | "https") {
        return Err(unsupported());
    }
    let mut url = base.clone();
    url.path_segments_mut()
        .map_err(|()| unsupported())?
        .pop_if_empty()
        .extend(["chat", "completions"]);
    Ok(url)
}

/// Why one attempt gave no note.
#[derive(Debug, thiserror::Error)]
enum AttemptError {
    #[error("no answer in time")]
    Timeout,
    #[error("the request failed")]
    Transport(#[from] reqwest::Error),
    #[error("the server answered {0}")]
    Status(StatusCode),
    #[error("invalid answer")]
    Invalid(#[from] InvalidAnswer),
}

impl AttemptError {
    /// A slow or busy server, a dropped connection and a malformed answer are often
    /// momentary; a rejected request (a wrong key, an unknown model) would be rejected again.
    fn is_worth_retrying(&self) -> bool {
        match self {
            AttemptError::Status(status) => {
                status.is_server_error() || *status == StatusCode::TOO_MANY_REQUESTS
            }
            AttemptError::Timeout | AttemptError::Transport(_) | AttemptError::Invalid(_) => true,
        }
    }

    /// The `outcome` label of `lossy_llm_requests_total`.
    fn outcome(&self) -> &'static str {
        match self {
            AttemptError::Timeout => "timeout",
            AttemptError::Invalid(_) => "invalid",
            AttemptError::Transport(_) | AttemptError::Status(_) => "error",
        }
    }
}

fn count_request(outcome: &'static str) {
    metrics::counter!("lossy_llm_requests_total", "outcome" => outcome).increment(1);
}

/// An error and its causes on one line. reqwest's own message ("error sending request for
/// url …") leaves out why, e.g. "connection refused".
struct Causes<'a>(&'a dyn Error);

impl fmt::Display for Causes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = self.0.source();
        while let Some(error) = cause {
            write!(f, ": {error}")?;
            cause = error.source();
        }
        Ok(())
    }
}
