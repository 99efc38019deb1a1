//! Which browser origins may open sockets and use the session cookie: the server's own origin
//! (its public URL, or the `Host` the request came to) and the configured extension origins.

use axum::http::HeaderMap;
use axum::http::header::{HOST, ORIGIN};

use crate::config::Config;

#[derive(Debug, Clone)]
pub struct OriginPolicy {
    allowed: Vec<String>,
}

/// Origins compare without a trailing slash and case-insensitively (scheme and host are).
fn normalize(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

impl OriginPolicy {
    pub fn new(config: &Config) -> Self {
        let mut allowed: Vec<String> = config
            .allowed_origins
            .iter()
            .filter(|o| !o.trim().is_empty())
            .map(|o| normalize(o))
            .collect();
        if let Some(public) = &config.public_url
            && let Ok(url) = url::Url::parse(public)
        {
            allowed.push(normalize(&url.origin().ascii_serialization()));
        }
        OriginPolicy { allowed }
    }

    /// `None` when the request carries no `Origin` (not a browser).
    pub fn origin(headers: &HeaderMap) -> Option<&str> {
        headers.get(ORIGIN).and_then(|v| v.to_str().ok())
    }

    /// True when `origin` is the server's own (as addressed by `Host`) or on the allow-list.
    pub fn allows(&self, origin: &str, headers: &HeaderMap) -> bool {
        let origin = normalize(origin);
        if self.allowed.contains(&origin) {
            return true;
        }
        let Some(host) = headers.get(HOST).and_then(|v| v.to_str().ok()) else {
            return false;
        };
        let host = host.to_ascii_lowercase();
        origin == format!("http://{host}") || origin == format!("https://{host}")
    }

    /// Cross-site request forgery rule for cookie-authenticated writes: an `Origin` is required
    /// and must be allowed.
    pub fn allows_cookie_request(&self, headers: &HeaderMap) -> bool {
        Self::origin(headers).is_some_and(|origin| self.allows(origin, headers))
    }

    /// Socket rule: no `Origin` (a non-browser client, which must then present a token) or an
    /// allowed one.
    pub fn allows_socket(&self, headers: &HeaderMap) -> bool {
        Self::origin(headers).is_none_or(|origin| self.allows(origin, headers))
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(HOST, HeaderValue::from_str(host).unwrap());
        if let Some(o) = origin {
            h.insert(ORIGIN, HeaderValue::from_str(o).unwrap());
        }
        h
    }

    #[test]
    fn own_host_extension_and_nothing_else() {
        let mut config = Config::local(".".into());
        config.allowed_origins = vec!["chrome-extension://abcdef".into()];
        let policy = OriginPolicy::new(&config);
        let host = "127.0.0.1:4000";
        assert!(policy.allows_socket(&headers(Some("http://127.0.0.1:4000"), host)));
        assert!(policy.allows_socket(&headers(Some("chrome-extension://abcdef/"), host)));
        assert!(policy.allows_socket(&headers(None, host)));
        assert!(!policy.allows_socket(&headers(Some("https://evil.example"), host)));
        assert!(!policy.allows_socket(&headers(Some("chrome-extension://other"), host)));
        assert!(!policy.allows_cookie_request(&headers(None, host)));
    }
}
