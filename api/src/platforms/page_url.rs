//! A page's URL, parsed and normalized the way docs/platforms.md ("Normalization") says, so
//! that the Rust engine and the JavaScript evaluator see the same host, path, query and
//! fragment.

use std::sync::LazyLock;

use regex::Regex;
use url::Url;

/// Longest URL accepted, in bytes.
pub const MAX_URL_BYTES: usize = 8 * 1024;

/// Why a string is not a page URL; every case is the caller's input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("the URL is empty")]
    Empty,
    #[error("the URL is longer than 8 KiB")]
    TooLong,
    #[error("this is not a URL")]
    NotAUrl,
    #[error("only http and https URLs can be videos")]
    Scheme,
}

/// One `name=value` piece of the query.
#[derive(Debug, Clone, PartialEq)]
struct QueryPiece {
    /// As written, with escapes normalized.
    raw: String,
    /// Decoded name and value (`application/x-www-form-urlencoded`).
    name: String,
    value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PageUrl {
    scheme: String,
    host: String,
    port: Option<u16>,
    path: String,
    query: Vec<QueryPiece>,
    fragment: String,
}

/// `scheme:` followed by something other than a digit (so `localhost:8080/x` has none).
static SCHEME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z][A-Za-z0-9+.\-]*:([^0-9]|$)").expect("valid regex"));

impl PageUrl {
    /// Parses `input`, dropping credentials and the `tracking` parameters.
    pub fn parse(input: &str, tracking: &[&str]) -> Result<PageUrl, UrlError> {
        if input.len() > MAX_URL_BYTES {
            return Err(UrlError::TooLong);
        }
        let trimmed = input.trim_matches(|c: char| c.is_ascii_whitespace());
        if trimmed.is_empty() {
            return Err(UrlError::Empty);
        }
        let url = if SCHEME.is_match(trimmed) {
            Url::parse(trimmed)
        } else {
            Url::parse(&format!("https://{trimmed}"))
        }
        .map_err(|_| UrlError::NotAUrl)?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(UrlError::Scheme);
        }
        let host = url.host_str().ok_or(UrlError::NotAUrl)?;
        let host = host.strip_suffix('.').unwrap_or(host);
        if host.is_empty() {
            return Err(UrlError::NotAUrl);
        }
        let query = url
            .query()
            .unwrap_or_default()
            .split('&')
            .filter(|piece| !piece.is_empty())
            .map(QueryPiece::new)
            .filter(|piece| !is_listed(&piece.name, tracking))
            .collect();
        Ok(PageUrl {
            scheme: url.scheme().to_owned(),
            host: host.to_owned(),
            port: url.port(),
            path: normalize_escapes(url.path()),
            query,
            fragment: normalize_escapes(url.fragment().unwrap_or_default()),
        })
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn fragment(&self) -> &str {
        &self.fragment
    }

    /// The decoded first value of parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|piece| piece.name == name)
            .map(|piece| piece.value.as_str())
    }

    /// The generic form: query stably sorted by decoded name, no fragment.
    pub fn generic(&self) -> String {
        let mut query: Vec<&QueryPiece> = self.query.iter().collect();
        query.sort_by(|a, b| a.name.cmp(&b.name));
        self.serialize(query, false)
    }

    /// A platform's form: its `drop` parameters removed too, order and fragment kept.
    pub fn without(&self, drop: &[&str]) -> String {
        let query = self
            .query
            .iter()
            .filter(|piece| !is_listed(&piece.name, drop))
            .collect();
        self.serialize(query, true)
    }

    fn serialize(&self, query: Vec<&QueryPiece>, fragment: bool) -> String {
        let mut out = format!("{}://{}", self.scheme, self.host);
        if let Some(port) = self.port {
            out.push_str(&format!(":{port}"));
        }
        out.push_str(&self.path);
        for (i, piece) in query.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(&piece.raw);
        }
        if fragment && !self.fragment.is_empty() {
            out.push('#');
            out.push_str(&self.fragment);
        }
        out
    }
}

impl QueryPiece {
    fn new(raw: &str) -> QueryPiece {
        let (name, value) = raw.split_once('=').unwrap_or((raw, ""));
        QueryPiece {
            raw: normalize_escapes(raw),
            name: form_decode(name),
            value: form_decode(value),
        }
    }
}

/// True when `name` is in `list`, where an entry ending in `*` is a prefix.
fn is_listed(name: &str, list: &[&str]) -> bool {
    list.iter().any(|entry| match entry.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => name == *entry,
    })
}

fn hex_value(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|d| d as u8)
}

/// The escape `%XY` starting at `at`, if there is one.
fn escape_at(bytes: &[u8], at: usize) -> Option<u8> {
    match bytes.get(at..at + 3)? {
        [b'%', high, low] => Some(hex_value(*high)? << 4 | hex_value(*low)?),
        _ => None,
    }
}

/// Decodes escapes of unreserved characters and upper-cases the hex of the others (RFC 3986
/// 6.2.2), so `%7e` and `~`, `%2f` and `%2F` compare equal; a bare `%` becomes `%25`.
pub fn normalize_escapes(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if let Some(byte) = escape_at(bytes, i) {
            if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
                out.push(byte as char);
            } else {
                out.push_str(&format!("%{byte:02X}"));
            }
            i += 3;
        } else if bytes[i] == b'%' {
            // A `%` that starts no escape is escaped itself; kept bare, decoding what follows
            // could make a new escape (`%%36A` to `%6A`) and normalizing again would change it.
            out.push_str("%25");
            i += 1;
        } else {
            // Escapes are ASCII, so stepping one char at a time keeps UTF-8 boundaries.
            let ch = text[i..].chars().next().unwrap_or_default();
            out.push(ch);
            i += ch.len_utf8().max(1);
        }
    }
    out
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, escapes are bytes, invalid
/// UTF-8 becomes U+FFFD, a broken escape stays as written.
fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if let Some(byte) = escape_at(bytes, i) {
            out.push(byte);
            i += 3;
        } else {
            out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(input: &str) -> PageUrl {
        PageUrl::parse(input, &["utm_*", "fbclid"]).unwrap()
    }

    #[test]
    fn escapes_of_unreserved_characters_are_decoded_and_others_upper_cased() {
        assert_eq!(normalize_escapes("/a%7eb%2fc%41"), "/a~b%2FcA");
        assert_eq!(normalize_escapes("/100%"), "/100%25");
        assert_eq!(normalize_escapes("/%zz/é"), "/%25zz/é");
        assert_eq!(normalize_escapes("/%%36A"), "/%256A");
    }

    #[test]
    fn the_generic_form_sorts_the_query_and_drops_tracking_and_the_fragment() {
        let url = parse("HTTPS://User:Pw@Example.COM.:443/v?b=2&utm_source=x&a=1&&fbclid=z#t=3");
        assert_eq!(url.generic(), "https://example.com/v?a=1&b=2");
        assert_eq!(url.without(&["b"]), "https://example.com/v?a=1#t=3");
    }

    #[test]
    fn a_missing_scheme_means_https_but_a_port_is_not_a_scheme() {
        assert_eq!(parse("youtu.be/abc").generic(), "https://youtu.be/abc");
        assert_eq!(
            parse("localhost:8080/x").generic(),
            "https://localhost:8080/x"
        );
    }

    #[test]
    fn refused_inputs_say_why() {
        let tracking = &[];
        assert_eq!(PageUrl::parse("  ", tracking), Err(UrlError::Empty));
        assert_eq!(
            PageUrl::parse("javascript:alert(1)", tracking),
            Err(UrlError::Scheme)
        );
        assert_eq!(
            PageUrl::parse("data:text/html,hi", tracking),
            Err(UrlError::Scheme)
        );
        assert_eq!(
            PageUrl::parse("https://exa mple.com/", tracking),
            Err(UrlError::NotAUrl)
        );
        let long = format!("https://example.com/?q={}", "a".repeat(MAX_URL_BYTES));
        assert_eq!(PageUrl::parse(&long, tracking), Err(UrlError::TooLong));
    }

    #[test]
    fn parameters_are_read_decoded_and_first_wins() {
        let url = parse("https://x.test/?v=a%20b&v=second&w=c+d");
        assert_eq!(url.param("v"), Some("a b"));
        assert_eq!(url.param("w"), Some("c d"));
        assert_eq!(url.param("missing"), None);
    }
}
