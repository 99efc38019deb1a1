//! What to answer a `GET` for the web app: a pure function of the table, the path and two
//! request headers, so every decision is tested without a server.
//!
//! - A path under an API segment (`/api/...`, `/graphql/...`) is not the app's: the API's
//!   JSON 404.
//! - `/graphiql` is GraphiQL's page; a path naming a file of the table is that file.
//! - Any other path with a file extension is a missing file: 404, not the app's page (a
//!   browser asking for a script must not get HTML).
//! - Anything else is a client-side route (`/`, `/videos/<id>`, `/settings`): the app's page,
//!   whose router reads the URL.
//! - A page the table lacks (the app not built) is a short page saying how to build it, with
//!   status 200: the server works, only the app is missing.

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_SECURITY_POLICY as CSP, CONTENT_TYPE,
    ETAG, REFERRER_POLICY, VARY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};

use super::assets::{Asset, GRAPHIQL, INDEX, WebAssets};

/// The policy of every page the app and GraphiQL show. No inline script anywhere, and the
/// pages talk to this server only; each source beyond `'self'` is there for one reason.
pub const CONTENT_SECURITY_POLICY: &str = concat!(
    "default-src 'self'; ",
    "script-src 'self'; ",
    // React sets style attributes, and GraphiQL's editor injects <style> elements.
    "style-src 'self' 'unsafe-inline'; ",
    // Video thumbnails, served by the platforms' image hosts.
    "img-src 'self' data: https:; ",
    // Direct media URLs: a video found on any page plays from where it lives, sometimes over
    // plain http; `blob:` for media the app builds in the browser.
    "media-src 'self' blob: https: http:; ",
    "font-src 'self' data:; ",
    // GraphQL over HTTP and over the WebSocket, both on this origin ('self' covers ws: and
    // wss: to the same host).
    "connect-src 'self'; ",
    // GraphiQL's editor runs its language services in workers, some started from blob: URLs.
    "worker-src 'self' blob:; ",
    // The two players the app embeds to review a video.
    "frame-src https://www.youtube.com https://www.youtube-nocookie.com https://player.vimeo.com; ",
    "object-src 'none'; ",
    "base-uri 'self'; ",
    "form-action 'self'; ",
    "frame-ancestors 'none'",
);

/// YouTube's embedded player refuses to play without a referrer naming the embedding site;
/// this sends the origin only, and only over https from https pages.
const REFERRER: &str = "strict-origin-when-cross-origin";

/// First path segments of the API's routes: paths under them are never the app's.
const API_SEGMENTS: [&str; 5] = ["api", "graphql", "healthz", "readyz", "metrics"];

const NOT_BUILT_PAGE: &str = include_str!("not_built.html");

/// What the answer depends on, taken from the request.
#[derive(Debug, Clone, Copy, Default)]
pub struct WebRequest<'a> {
    /// The URL path, query excluded (`/videos/123`).
    pub path: &'a str,
    pub if_none_match: Option<&'a str>,
    pub accept_encoding: Option<&'a str>,
}

/// What a path leads to.
#[derive(Debug)]
pub enum Target<'a> {
    /// A file of the table: itself, the app's page for a client route, or GraphiQL's page.
    File(&'a Arc<Asset>),
    /// The app's or GraphiQL's page, which the table lacks.
    NotBuilt,
    /// A missing file, or a path of the API's.
    NotFound,
}

/// The answer, ready to send.
#[derive(Debug)]
pub enum WebReply {
    Send {
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    },
    /// Answered like any unknown path of the API (a JSON 404).
    NotFound,
}

/// Where `path` leads in `assets`.
pub fn target<'a>(assets: &'a WebAssets, path: &str) -> Target<'a> {
    let relative = path.trim_start_matches('/');
    let first_segment = relative.split('/').next().unwrap_or_default();
    if API_SEGMENTS.contains(&first_segment) {
        return Target::NotFound;
    }
    let page = |name| assets.get(name).map_or(Target::NotBuilt, Target::File);
    if relative == "graphiql" {
        return page(GRAPHIQL);
    }
    if let Some(asset) = assets.get(relative) {
        return Target::File(asset);
    }
    if has_extension(relative) {
        return Target::NotFound;
    }
    page(INDEX)
}

/// Whether the last segment of `path` reads like a file name (`app.js`, `favicon.ico`).
fn has_extension(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.rsplit_once('.')
        .is_some_and(|(stem, extension)| !stem.is_empty() && !extension.is_empty())
}

/// Whether an `Accept-Encoding` value allows gzip: named (or `x-gzip`), or covered by `*`,
/// with a quality above 0.
pub fn accepts_gzip(accept_encoding: Option<&str>) -> bool {
    let mut named = None;
    let mut wildcard = None;
    for item in accept_encoding.unwrap_or_default().split(',') {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let quality = parts
            .filter_map(|param| param.trim().split_once('='))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
            .map_or(Some(1.0), |(_, q)| q.trim().parse::<f32>().ok());
        let acceptable = quality.is_some_and(|q| q > 0.0);
        match coding.as_str() {
            "gzip" | "x-gzip" => named = Some(named.unwrap_or(false) || acceptable),
            "*" => wildcard = Some(acceptable),
            _ => {}
        }
    }
    named.or(wildcard).unwrap_or(false)
}

/// The asset [`respond`] would send gzipped but has not compressed yet: compress it first
/// where blocking is fine.
pub fn pending_gzip(assets: &WebAssets, request: &WebRequest<'_>) -> Option<Arc<Asset>> {
    match target(assets, request.path) {
        Target::File(asset) if !asset.gzip_ready() && accepts_gzip(request.accept_encoding) => {
            Some(asset.clone())
        }
        _ => None,
    }
}

/// The answer to a `GET` of `request.path`. May compress the file on first use (see
/// [`pending_gzip`]).
pub fn respond(assets: &WebAssets, request: &WebRequest<'_>) -> WebReply {
    match target(assets, request.path) {
        Target::NotFound => WebReply::NotFound,
        Target::NotBuilt => {
            let mut headers = HeaderMap::new();
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            // Not to be kept: the next visit after a build must get the app.
            headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
            page_headers(&mut headers);
            let body = Bytes::from_static(NOT_BUILT_PAGE.as_bytes());
            headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
            WebReply::Send {
                status: StatusCode::OK,
                headers,
                body,
            }
        }
        Target::File(asset) => file(asset, request),
    }
}

fn file(asset: &Asset, request: &WebRequest<'_>) -> WebReply {
    let gzipped = if accepts_gzip(request.accept_encoding) {
        asset.gzipped()
    } else {
        None
    };
    let (body, etag) = match gzipped {
        Some(gz) => (gz.clone(), asset.gzip_etag()),
        None => (asset.body().clone(), asset.etag()),
    };
    let mut headers = HeaderMap::new();
    headers.insert(ETAG, etag.clone());
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static(asset.cache_control()),
    );
    if asset.compressible() {
        // The bytes depend on Accept-Encoding; shared caches must keep both.
        headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    }
    if request
        .if_none_match
        .is_some_and(|tags| asset.matches(tags))
    {
        return WebReply::Send {
            status: StatusCode::NOT_MODIFIED,
            headers,
            body: Bytes::new(),
        };
    }
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(asset.content_type()));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if asset.is_html() {
        page_headers(&mut headers);
    }
    if gzipped.is_some() {
        headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    WebReply::Send {
        status: StatusCode::OK,
        headers,
        body,
    }
}

/// The security headers of a page.
fn page_headers(headers: &mut HeaderMap) {
    headers.insert(CSP, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static(REFERRER));
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;

    const SCRIPT: &str = "export const hello = () => console.log('hello, reviewer');\n";

    fn built() -> WebAssets {
        WebAssets::from_files([
            (
                "index.html".to_owned(),
                Bytes::from_static(b"<!doctype html><title>app</title>"),
            ),
            (
                "graphiql.html".to_owned(),
                Bytes::from_static(b"<!doctype html><title>gql</title>"),
            ),
            (
                "assets/app-abc123.js".to_owned(),
                Bytes::from(SCRIPT.repeat(50)),
            ),
            ("favicon.ico".to_owned(), Bytes::from_static(b"ico")),
            ("assets/logo-1.png".to_owned(), Bytes::from(vec![7u8; 500])),
        ])
    }

    fn path_of(target: Target<'_>) -> Option<String> {
        match target {
            Target::File(asset) => Some(asset.path().to_owned()),
            Target::NotBuilt => Some("(not built)".to_owned()),
            Target::NotFound => None,
        }
    }

    fn get<'a>(path: &'a str) -> WebRequest<'a> {
        WebRequest {
            path,
            ..WebRequest::default()
        }
    }

    /// Status, headers and body of a reply that is sent.
    fn sent(reply: WebReply) -> (StatusCode, HeaderMap, Bytes) {
        match reply {
            WebReply::Send {
                status,
                headers,
                body,
            } => (status, headers, body),
            WebReply::NotFound => panic!("expected an answer, got NotFound"),
        }
    }

    fn header(headers: &HeaderMap, name: impl axum::http::header::AsHeaderName) -> &str {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    #[test]
    fn paths_lead_to_files_pages_or_nothing() {
        let assets = built();
        let cases = [
            ("/", Some("index.html")),
            ("", Some("index.html")),
            ("/videos/123", Some("index.html")),
            ("/settings", Some("index.html")),
            ("/videos/", Some("index.html")),
            ("/.well-known", Some("index.html")),
            ("/graphiql", Some("graphiql.html")),
            ("/index.html", Some("index.html")),
            ("/favicon.ico", Some("favicon.ico")),
            ("/assets/app-abc123.js", Some("assets/app-abc123.js")),
            ("/assets/missing.js", None),
            ("/videos/clip.mp4", None),
            ("/api/nope", None),
            ("/api", None),
            ("/graphql/extra", None),
            ("/healthz/x", None),
            ("/metrics/x", None),
        ];
        for (path, expected) in cases {
            assert_eq!(
                path_of(target(&assets, path)).as_deref(),
                expected,
                "{path}"
            );
        }
        // A client route may start like an API word without being one.
        assert_eq!(
            path_of(target(&assets, "/apis")).as_deref(),
            Some("index.html")
        );
    }

    #[test]
    fn without_the_pages_the_app_and_graphiql_say_how_to_build() {
        let empty = WebAssets::default();
        for path in ["/", "/videos/123", "/sign-in", "/graphiql"] {
            assert_eq!(
                path_of(target(&empty, path)).as_deref(),
                Some("(not built)"),
                "{path}"
            );
            let (status, headers, body) = sent(respond(&empty, &get(path)));
            assert_eq!(status, StatusCode::OK);
            assert_eq!(header(&headers, CONTENT_TYPE), "text/html; charset=utf-8");
            assert_eq!(header(&headers, CSP), CONTENT_SECURITY_POLICY);
            let page = String::from_utf8_lossy(&body);
            assert!(
                page.contains(
                    "npm ci --prefix dashboard &amp;&amp; npm run build --prefix dashboard"
                )
            );
            assert!(page.contains("./scripts/serve"));
            assert!(page.contains("LOSSY_WEB_DIR"));
            assert!(
                !page.contains("<script"),
                "the policy forbids inline script"
            );
            assert_eq!(header(&headers, CONTENT_LENGTH), body.len().to_string());
        }
        assert!(matches!(
            respond(&empty, &get("/app.js")),
            WebReply::NotFound
        ));
        assert!(matches!(
            respond(&empty, &get("/api/x")),
            WebReply::NotFound
        ));
    }

    #[test]
    fn pages_carry_the_security_headers_and_revalidate() {
        let assets = built();
        for path in ["/", "/videos/1", "/graphiql"] {
            let (status, headers, _) = sent(respond(&assets, &get(path)));
            assert_eq!(status, StatusCode::OK);
            assert_eq!(header(&headers, CSP), CONTENT_SECURITY_POLICY, "{path}");
            assert_eq!(header(&headers, X_CONTENT_TYPE_OPTIONS), "nosniff");
            assert_eq!(
                header(&headers, REFERRER_POLICY),
                "strict-origin-when-cross-origin"
            );
            assert_eq!(header(&headers, CACHE_CONTROL), "no-cache");
            assert_eq!(header(&headers, CONTENT_TYPE), "text/html; charset=utf-8");
        }
        let (_, headers, _) = sent(respond(&assets, &get("/assets/app-abc123.js")));
        assert_eq!(headers.get(CSP), None, "scripts need no policy");
        assert_eq!(header(&headers, X_CONTENT_TYPE_OPTIONS), "nosniff");
    }

    #[test]
    fn the_policy_allows_no_inline_script_and_talks_only_to_this_server() {
        let directives: Vec<&str> = CONTENT_SECURITY_POLICY.split("; ").collect();
        assert!(directives.contains(&"script-src 'self'"));
        assert!(directives.contains(&"connect-src 'self'"));
        assert!(directives.contains(&"object-src 'none'"));
        assert!(directives.contains(&"frame-ancestors 'none'"));
        assert!(
            directives.contains(
                &"frame-src https://www.youtube.com https://www.youtube-nocookie.com https://player.vimeo.com"
            )
        );
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-eval"));
        assert_eq!(directives.len(), 13);
    }

    #[test]
    fn hashed_assets_are_immutable_and_gzipped_when_asked() {
        let assets = built();
        let plain = get("/assets/app-abc123.js");
        let (_, headers, body) = sent(respond(&assets, &plain));
        assert_eq!(
            header(&headers, CACHE_CONTROL),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            header(&headers, CONTENT_TYPE),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(header(&headers, VARY), "accept-encoding");
        assert_eq!(headers.get(CONTENT_ENCODING), None);
        assert_eq!(body, SCRIPT.repeat(50));
        let identity_tag = header(&headers, ETAG).to_owned();

        let gzip = WebRequest {
            accept_encoding: Some("br;q=1.0, gzip;q=0.8, *;q=0.1"),
            ..plain
        };
        assert!(pending_gzip(&assets, &gzip).is_some(), "not compressed yet");
        let (_, headers, body) = sent(respond(&assets, &gzip));
        assert!(pending_gzip(&assets, &gzip).is_none(), "kept");
        assert_eq!(header(&headers, CONTENT_ENCODING), "gzip");
        assert_eq!(header(&headers, VARY), "accept-encoding");
        assert_eq!(header(&headers, CONTENT_LENGTH), body.len().to_string());
        assert_ne!(
            header(&headers, ETAG),
            identity_tag,
            "another representation"
        );
        let mut decoded = String::new();
        flate2::read::GzDecoder::new(&body[..])
            .read_to_string(&mut decoded)
            .unwrap_or_default();
        assert_eq!(decoded, SCRIPT.repeat(50));
    }

    #[test]
    fn types_not_worth_compressing_are_sent_as_they_are() {
        let assets = built();
        let request = WebRequest {
            path: "/assets/logo-1.png",
            accept_encoding: Some("gzip"),
            ..WebRequest::default()
        };
        assert!(pending_gzip(&assets, &request).is_none());
        let (_, headers, body) = sent(respond(&assets, &request));
        assert_eq!(headers.get(CONTENT_ENCODING), None);
        assert_eq!(headers.get(VARY), None);
        assert_eq!(body.len(), 500);
    }

    #[test]
    fn a_matching_if_none_match_answers_304_without_a_body() {
        let assets = built();
        let (_, headers, _) = sent(respond(&assets, &get("/")));
        let tag = header(&headers, ETAG).to_owned();
        let again = WebRequest {
            path: "/settings",
            if_none_match: Some(&tag),
            ..WebRequest::default()
        };
        let (status, headers, body) = sent(respond(&assets, &again));
        assert_eq!(status, StatusCode::NOT_MODIFIED);
        assert!(body.is_empty());
        assert_eq!(header(&headers, ETAG), tag);
        assert_eq!(header(&headers, CACHE_CONTROL), "no-cache");

        let stale = WebRequest {
            if_none_match: Some("\"0123\""),
            ..again
        };
        assert_eq!(sent(respond(&assets, &stale)).0, StatusCode::OK);
    }

    #[test]
    fn accept_encoding_is_read_with_its_qualities() {
        let cases = [
            (None, false),
            (Some(""), false),
            (Some("gzip"), true),
            (Some("GZIP"), true),
            (Some("gzip, deflate, br"), true),
            (Some("x-gzip"), true),
            (Some("br"), false),
            (Some("identity"), false),
            (Some("*"), true),
            (Some("gzip;q=0"), false),
            (Some("gzip;q=0.0, *"), false),
            (Some("gzip; q=0.5"), true),
            (Some("*;q=0"), false),
            (Some("br, *;q=0.1"), true),
            (Some("gzip;q=nonsense"), false),
        ];
        for (header, expected) in cases {
            assert_eq!(accepts_gzip(header), expected, "{header:?}");
        }
    }
}
