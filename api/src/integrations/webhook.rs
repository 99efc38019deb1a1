//! The webhook integration: a note is POSTed as JSON to the user's URL, signed with their
//! secret, with a Slack-compatible `text` (so a Slack incoming webhook URL works as is).
//!
//! Headers of every delivery:
//! - `X-Lossy-Delivery`: the posting's id, the same on every try of one posting, so a receiver
//!   that saw it already can drop the repeat (a try can reach the receiver and still fail here,
//!   e.g. when the server stops before it records the answer).
//! - `X-Lossy-Timestamp`: Unix seconds when the try was sent.
//! - `X-Lossy-Signature`: `sha256=` and the hex HMAC-SHA256, keyed with the secret, of
//!   `<timestamp>.<body>`. A receiver recomputes it and compares in constant time.
//!
//! What an answer means ([`judge`]): 2xx is delivered; a redirect is not followed (a signed
//! body is not re-sent to a place the user did not name) and needs the reviewer, as does any
//! other 4xx except 408 and 429; those, 5xx, timeouts and connection failures are retried.

use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use lossy_entities::{notes, videos, webhooks};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Sha256;
use url::Url;

use super::egress;

pub const DELIVERY_HEADER: &str = "x-lossy-delivery";
pub const TIMESTAMP_HEADER: &str = "x-lossy-timestamp";
pub const SIGNATURE_HEADER: &str = "x-lossy-signature";

/// What one try came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Delivered,
    /// Worth trying again later (timeout, 5xx, 408, 429, connection failure).
    Retry(String),
    /// Trying again will not help until the reviewer changes something (the URL, the
    /// receiver's settings).
    NeedsIntervention(String),
}

/// The HTTP client for webhooks (pooled): bounded by a timeout, redirects are answers, not
/// hops, and with the egress guard on (`guarded`) only public addresses are connected to
/// ([`egress`]).
#[derive(Debug, Clone)]
pub struct WebhookClient {
    http: reqwest::Client,
    guarded: bool,
}

impl WebhookClient {
    /// `allow_private` turns the guard off (`LOSSY_WEBHOOK_ALLOW_PRIVATE`).
    pub fn new(timeout: Duration, allow_private: bool) -> reqwest::Result<WebhookClient> {
        let mut builder = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none());
        if !allow_private {
            // Names are resolved and checked by the guard, which hands the client the
            // addresses it checked; no proxy, whose own address would be what is resolved.
            builder = builder
                .dns_resolver(Arc::new(egress::GuardedResolver))
                .no_proxy();
        }
        Ok(WebhookClient {
            http: builder.build()?,
            guarded: !allow_private,
        })
    }

    /// Sends one try of a delivery and judges the answer. A private destination is not
    /// connected to and needs the reviewer (they set a public URL).
    pub async fn deliver(
        &self,
        webhook: &webhooks::Model,
        delivery_id: &str,
        body: &[u8],
    ) -> Delivery {
        if self.guarded {
            match Url::parse(&webhook.url) {
                Ok(url) => {
                    if let Some(refusal) = egress::refused_literal(&url) {
                        return Delivery::NeedsIntervention(refusal.to_string());
                    }
                }
                Err(err) => {
                    return Delivery::NeedsIntervention(format!(
                        "the webhook's URL is not a URL: {err}"
                    ));
                }
            }
        }
        deliver(&self.http, webhook, delivery_id, body).await
    }
}

/// The JSON body of a note's delivery.
pub fn payload(note: &notes::Model, video: Option<&videos::Model>, delivery_id: &str) -> Value {
    let at = clock(note.timestamp_seconds);
    let title = video
        .and_then(|v| v.title.as_deref())
        .filter(|t| !t.trim().is_empty());
    let url = video.map(|v| v.canonical_url.as_str());
    let place = match (title, url) {
        (Some(title), Some(url)) => format!(" in <{url}|{}>", slack_escape(title)),
        (None, Some(url)) => format!(" in <{url}>"),
        (Some(title), None) => format!(" in {}", slack_escape(title)),
        (None, None) => String::new(),
    };
    json!({
        "text": format!("[{}] {at}{place}: {}", note.category, slack_escape(&note.text)),
        "deliveryId": delivery_id,
        "note": {
            "id": note.id,
            "videoId": note.video_id,
            "text": note.text,
            "category": note.category,
            "confidence": note.confidence,
            "timestampSeconds": note.timestamp_seconds,
            "endSeconds": note.end_seconds,
            "createdAt": note.created_at,
        },
        "video": video.map(|v| json!({
            "id": v.id,
            "platform": v.platform,
            "url": v.canonical_url,
            "title": v.title,
        })),
    })
}

/// `m:ss` (or `h:mm:ss`) of a position in a video.
fn clock(seconds: f64) -> String {
    let total = seconds.max(0.0).floor() as u64;
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// Slack's three control characters in message text.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Sends one try of a delivery with `client` and judges the answer.
async fn deliver(
    client: &reqwest::Client,
    webhook: &webhooks::Model,
    delivery_id: &str,
    body: &[u8],
) -> Delivery {
    let timestamp = chrono::Utc::now().timestamp();
    let sent = client
        .post(&webhook.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(DELIVERY_HEADER, delivery_id)
        .header(TIMESTAMP_HEADER, timestamp.to_string())
        .header(
            SIGNATURE_HEADER,
            signature(&webhook.secret, timestamp, body),
        )
        .body(body.to_vec())
        .send()
        .await;
    match sent {
        Ok(response) => {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .map(str::to_owned);
            judge(response.status(), location.as_deref())
        }
        Err(err) if err.is_timeout() => {
            Delivery::Retry("the webhook did not answer in time".into())
        }
        Err(err) => match egress::refusal_in(&err) {
            // The guard refused what the name resolved to: trying again would meet the same
            // answer until the reviewer points the webhook elsewhere.
            Some(refusal) => Delivery::NeedsIntervention(refusal.to_string()),
            None => Delivery::Retry(format!(
                "the webhook could not be reached: {}",
                causes(&err)
            )),
        },
    }
}

/// What an HTTP answer means for the delivery.
pub fn judge(status: StatusCode, location: Option<&str>) -> Delivery {
    if status.is_success() {
        Delivery::Delivered
    } else if status.is_redirection() {
        Delivery::NeedsIntervention(format!(
            "the webhook answered {status} (a redirect{}), which is not followed; set its final URL",
            location.map(|l| format!(" to {l}")).unwrap_or_default()
        ))
    } else if status.is_server_error()
        || status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
    {
        Delivery::Retry(format!("the webhook answered {status}"))
    } else {
        Delivery::NeedsIntervention(format!("the webhook refused the note: {status}"))
    }
}

fn causes(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(error) = cause {
        text.push_str(": ");
        text.push_str(&error.to_string());
        cause = error.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_judged() {
        assert_eq!(judge(StatusCode::OK, None), Delivery::Delivered);
        assert_eq!(judge(StatusCode::NO_CONTENT, None), Delivery::Delivered);
        for retried in [
            StatusCode::INTERNAL_SERVER_ERROR,
            StatusCode::BAD_GATEWAY,
            StatusCode::REQUEST_TIMEOUT,
            StatusCode::TOO_MANY_REQUESTS,
        ] {
            assert!(
                matches!(judge(retried, None), Delivery::Retry(_)),
                "{retried}"
            );
        }
        for refused in [
            StatusCode::BAD_REQUEST,
            StatusCode::UNAUTHORIZED,
            StatusCode::NOT_FOUND,
            StatusCode::GONE,
        ] {
            assert!(
                matches!(judge(refused, None), Delivery::NeedsIntervention(_)),
                "{refused}"
            );
        }
        let Delivery::NeedsIntervention(reason) = judge(
            StatusCode::MOVED_PERMANENTLY,
            Some("https://elsewhere.test/hook"),
        ) else {
            panic!("a redirect needs the reviewer");
        };
        assert!(reason.contains("https://elsewhere.test/hook"), "{reason}");
    }

    #[test]
    fn the_signature_is_the_hmac_of_timestamp_dot_body() {
        // Computed independently (Python's hmac) over b"0.what do ya want for nothing?".
        let signed = signature("Jefe", 0, b"what do ya want for nothing?");
        assert_eq!(
            signed,
            "sha256=37f471929915ccd2cbbe79feb84ffcff4f2bb25e15fc41c2506687331ae179cc"
        );
        assert_ne!(
            signed,
            signature("Jefe", 1, b"what do ya want for nothing?")
        );
        assert_ne!(
            signed,
            signature("jefe", 0, b"what do ya want for nothing?")
        );
    }

    #[test]
    fn positions_read_as_a_clock() {
        assert_eq!(clock(0.0), "0:00");
        assert_eq!(clock(83.9), "1:23");
        assert_eq!(clock(3725.0), "1:02:05");
    }

    fn hook_at(url: String) -> webhooks::Model {
        let now = chrono::Utc::now();
        webhooks::Model {
            user_id: uuid::Uuid::new_v4(),
            url,
            secret: "0123456789abcdef".into(),
            auto_post_categories: None,
            auto_post_min_confidence: None,
            created_at: now,
            updated_at: now,
        }
    }

    /// Whether `listener` is connected to within a moment.
    async fn connected(listener: &tokio::net::TcpListener) -> bool {
        tokio::time::timeout(Duration::from_millis(300), listener.accept())
            .await
            .is_ok()
    }

    #[tokio::test]
    async fn the_guard_refuses_private_destinations_before_connecting() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let guarded = WebhookClient::new(Duration::from_secs(2), false).unwrap();
        for url in [
            format!("http://127.0.0.1:{port}/hook"),
            format!("http://[::ffff:127.0.0.1]:{port}/hook"),
            // A name: resolved by the system (/etc/hosts), then refused for its address.
            format!("http://localhost:{port}/hook"),
        ] {
            let delivery = guarded.deliver(&hook_at(url.clone()), "d-1", b"{}").await;
            let Delivery::NeedsIntervention(reason) = &delivery else {
                panic!("{url}: {delivery:?}");
            };
            assert!(
                reason.contains("127.0.0.1") || reason.contains("::1"),
                "{url}: {reason}"
            );
            assert!(!connected(&listener).await, "{url} was connected to");
        }

        // The same receiver, with the guard off, is reached: the test above can fail.
        let open = WebhookClient::new(Duration::from_millis(500), true).unwrap();
        let url = format!("http://127.0.0.1:{port}/hook");
        let sent = tokio::spawn(async move { open.deliver(&hook_at(url), "d-2", b"{}").await });
        assert!(
            connected(&listener).await,
            "the open client did not connect"
        );
        sent.abort();
    }

    #[test]
    fn the_text_escapes_slacks_control_characters() {
        assert_eq!(slack_escape("a <b> & c"), "a &lt;b&gt; &amp; c");
    }
}
