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

use std::time::Duration;

use hmac::{Hmac, Mac};
use lossy_entities::{notes, videos, webhooks};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Sha256;

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

/// The HTTP client for webhooks: bounded by `timeout`, and redirects are answers, not hops.
pub fn client(timeout: Duration) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
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

/// Sends one try of a delivery and judges the answer.
pub async fn deliver(
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
        Err(err) => Delivery::Retry(format!(
            "the webhook could not be reached: {}",
            causes(&err)
        )),
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

    #[test]
    fn the_text_escapes_slacks_control_characters() {
        assert_eq!(slack_escape("a <b> & c"), "a &lt;b&gt; &amp; c");
    }
}
