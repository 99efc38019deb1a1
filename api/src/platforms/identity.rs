//! What a page's video is, as the adapters decide it.

use std::collections::BTreeMap;

use super::template;
use crate::error::{AppError, AppResult};

/// `generic`: the platform of pages no adapter recognises.
pub const GENERIC: &str = "generic";

/// The templates an identity is rendered from.
#[derive(Debug, Clone, Copy)]
pub struct Templates {
    pub canonical: &'static str,
    pub embed: &'static str,
    pub deep_link: &'static str,
    pub thumbnail: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VideoIdentity {
    /// An adapter id (`youtube`, ...) or [`GENERIC`].
    pub platform: &'static str,
    pub external_id: String,
    pub canonical_url: String,
    pub embed_url: String,
    /// Captures other than the id (Vimeo's unlisted `hash`).
    pub extras: BTreeMap<String, String>,
    pub thumbnail_url: Option<String>,
    deep_link: &'static str,
    /// The generic normalized URL, for the `{url}` placeholder.
    url: String,
}

impl VideoIdentity {
    /// Renders the canonical, embed and deep-link templates for `id` and `extras`.
    pub fn new(
        platform: &'static str,
        external_id: String,
        extras: BTreeMap<String, String>,
        templates: Templates,
        url: String,
    ) -> VideoIdentity {
        let Templates {
            canonical,
            embed,
            deep_link,
            thumbnail,
        } = templates;
        let mut identity = VideoIdentity {
            platform,
            external_id,
            canonical_url: String::new(),
            embed_url: String::new(),
            extras,
            thumbnail_url: None,
            deep_link,
            url,
        };
        identity.canonical_url = identity.render(canonical, None);
        identity.embed_url = identity.render(embed, None);
        identity.thumbnail_url = thumbnail.map(|t| identity.render(t, None));
        identity
    }

    /// The URL that opens the video at `seconds` (whole seconds, rounded down, at least 0).
    /// Callers check that `seconds` is finite; anything else counts as 0.
    pub fn deep_link(&self, seconds: f64) -> String {
        let whole = if seconds.is_finite() {
            seconds.max(0.0).floor() as u64
        } else {
            0
        };
        self.render(self.deep_link, Some(&whole.to_string()))
    }

    fn render(&self, template: &str, seconds: Option<&str>) -> String {
        template::render(template, &|name| match name {
            "id" => Some(self.external_id.as_str()),
            "url" => Some(self.url.as_str()),
            "seconds" => seconds,
            extra => self.extras.get(extra).map(String::as_str),
        })
    }
}

/// Longest duration or position in a video accepted (a week of video).
pub const MAX_SECONDS: f64 = 7.0 * 24.0 * 3600.0;

/// A duration or a position in a video, in seconds: finite, not negative, at most
/// [`MAX_SECONDS`]; otherwise `BAD_USER_INPUT` on `field`.
pub fn checked_seconds(seconds: f64, field: &str) -> AppResult<f64> {
    if seconds.is_finite() && (0.0..=MAX_SECONDS).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(AppError::bad_input(
            field,
            format!("`{field}` must be a number of seconds between 0 and {MAX_SECONDS}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_must_be_finite_and_in_range() {
        assert!(checked_seconds(75.9, "seconds").is_ok());
        for bad in [-1.0, f64::NAN, f64::INFINITY, MAX_SECONDS + 1.0] {
            assert!(checked_seconds(bad, "seconds").is_err(), "{bad}");
        }
    }
}
