//! The web app as a browser gets it (docs/web.md): pages for client routes, hashed assets
//! cached for good and gzipped on request, entity tags, the Content-Security-Policy, 404s for
//! missing files and API paths, and the page that says how to build the app when it is
//! missing. Each server serves a folder the test wrote (`LOSSY_WEB_DIR`), never the copy
//! embedded at build time.

use std::io::Read as _;
use std::path::Path;

use lossy_tests::{TestApp, header, spawn_app_with_web_dir};
use reqwest::StatusCode;
use serde_json::{Value, json};

const INDEX: &str = "<!doctype html><html><head><script type=\"module\" src=\"/assets/app-abc123.js\"></script></head><body><div id=\"root\"></div></body></html>";
const GRAPHIQL: &str = "<!doctype html><html><head><title>GraphiQL</title></head><body><div id=\"graphiql\"></div></body></html>";

/// A script long enough for gzip to pay.
fn script() -> String {
    "export function review(note) { return `noted: ${note.text}`; }\n".repeat(100)
}

/// The policy of docs/web.md, written out here so that a change to it fails a test.
const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data: https:; media-src 'self' blob: https: http:; font-src 'self' data:; \
    connect-src 'self'; worker-src 'self' blob:; frame-src https://www.youtube.com \
    https://www.youtube-nocookie.com https://player.vimeo.com; object-src 'none'; \
    base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// A built app in a temporary folder: `index.html`, `graphiql.html`, one hashed script.
fn built_app() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary web folder");
    write(dir.path(), "index.html", INDEX);
    write(dir.path(), "graphiql.html", GRAPHIQL);
    write(dir.path(), "assets/app-abc123.js", &script());
    dir
}

fn write(root: &Path, path: &str, content: &str) {
    let path = root.join(path);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("web folder");
    }
    std::fs::write(path, content).expect("web file");
}

async fn get(app: &TestApp, path: &str) -> reqwest::Response {
    get_with(app, path, &[]).await
}

async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("request")
}

/// Asserts `response` is `page` with the security headers of a page.
async fn assert_page(response: reqwest::Response, page: &str, case: &str) {
    assert_eq!(response.status(), StatusCode::OK, "{case}");
    assert_eq!(
        header(&response, "content-type"),
        Some("text/html; charset=utf-8"),
        "{case}"
    );
    assert_eq!(
        header(&response, "content-security-policy"),
        Some(POLICY),
        "{case}"
    );
    assert_eq!(
        header(&response, "x-content-type-options"),
        Some("nosniff"),
        "{case}"
    );
    assert_eq!(
        header(&response, "referrer-policy"),
        Some("strict-origin-when-cross-origin"),
        "{case}"
    );
    assert_eq!(
        header(&response, "cache-control"),
        Some("no-cache"),
        "{case}"
    );
    assert!(header(&response, "etag").is_some(), "{case}");
    assert_eq!(response.text().await.expect("page"), page, "{case}");
}

/// Asserts `response` is the API's JSON 404.
async fn assert_json_not_found(response: reqwest::Response, case: &str) {
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "{case}");
    let body: Value = response.json().await.expect("a JSON 404");
    assert_eq!(body["error"]["code"], json!("NOT_FOUND"), "{case}: {body}");
}

#[tokio::test]
async fn the_root_and_client_routes_answer_the_app_page_with_its_policy() {
    let web = built_app();
    let app = spawn_app_with_web_dir(web.path()).await;
    for path in [
        "/",
        "/videos/123",
        "/settings",
        "/sign-in?next=/videos/123",
        "/admin/users/",
    ] {
        assert_page(get(&app, path).await, INDEX, path).await;
    }
    // HEAD: the same headers, no body.
    let head = reqwest::Client::new()
        .head(app.url("/videos/9"))
        .send()
        .await
        .expect("HEAD");
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(
        header(&head, "content-length"),
        Some(INDEX.len().to_string().as_str())
    );
    assert_eq!(header(&head, "content-security-policy"), Some(POLICY));
    assert!(head.bytes().await.expect("HEAD body").is_empty());
}

#[tokio::test]
async fn graphiql_is_served_from_the_app() {
    let web = built_app();
    let app = spawn_app_with_web_dir(web.path()).await;
    assert_page(get(&app, "/graphiql").await, GRAPHIQL, "/graphiql").await;
}

#[tokio::test]
async fn hashed_assets_are_cached_for_good_gzipped_on_request_and_revalidated() {
    let web = built_app();
    let app = spawn_app_with_web_dir(web.path()).await;
    let path = "/assets/app-abc123.js";

    let plain = get(&app, path).await;
    assert_eq!(plain.status(), StatusCode::OK);
    assert_eq!(
        header(&plain, "cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(
        header(&plain, "content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(header(&plain, "vary"), Some("accept-encoding"));
    assert_eq!(header(&plain, "content-encoding"), None);
    assert_eq!(header(&plain, "content-security-policy"), None);
    let etag = header(&plain, "etag").expect("an entity tag").to_owned();
    assert!(
        etag.starts_with('"') && !etag.starts_with("W/"),
        "strong: {etag}"
    );
    assert_eq!(plain.text().await.expect("script"), script());

    for _ in 0..2 {
        // Twice: compressed on the first request, the kept copy on the second.
        let gzipped = get_with(&app, path, &[("accept-encoding", "gzip, deflate, br")]).await;
        assert_eq!(gzipped.status(), StatusCode::OK);
        assert_eq!(header(&gzipped, "content-encoding"), Some("gzip"));
        assert_eq!(header(&gzipped, "vary"), Some("accept-encoding"));
        let length = header(&gzipped, "content-length").map(str::to_owned);
        let body = gzipped.bytes().await.expect("gzip body");
        assert_eq!(length, Some(body.len().to_string()));
        assert!(
            body.len() < script().len() / 4,
            "compressed: {}",
            body.len()
        );
        let mut decoded = String::new();
        flate2::read::GzDecoder::new(&body[..])
            .read_to_string(&mut decoded)
            .expect("valid gzip");
        assert_eq!(decoded, script());
    }

    let refused = get_with(&app, path, &[("accept-encoding", "gzip;q=0, br")]).await;
    assert_eq!(header(&refused, "content-encoding"), None);

    let again = get_with(&app, path, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(&again, "etag"), Some(etag.as_str()));
    assert!(again.bytes().await.expect("304 body").is_empty());

    let changed = get_with(&app, path, &[("if-none-match", "\"not-this-one\"")]).await;
    assert_eq!(changed.status(), StatusCode::OK);
}

#[tokio::test]
async fn missing_files_and_api_paths_are_json_404s_and_the_api_still_works() {
    let web = built_app();
    let app = spawn_app_with_web_dir(web.path()).await;
    assert_json_not_found(get(&app, "/assets/missing.js").await, "missing asset").await;
    assert_json_not_found(get(&app, "/favicon.ico").await, "missing file").await;
    assert_json_not_found(get(&app, "/api/nope").await, "unknown API path").await;
    assert_json_not_found(get(&app, "/graphql/nope").await, "under /graphql").await;
    let post = reqwest::Client::new()
        .post(app.url("/videos/123"))
        .send()
        .await
        .expect("POST");
    assert_json_not_found(post, "POST to a client route").await;

    let graphql = reqwest::Client::new()
        .post(app.url("/graphql"))
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .expect("graphql");
    assert_eq!(graphql.status(), StatusCode::OK);
    let body: Value = graphql.json().await.expect("graphql body");
    assert_eq!(body, json!({ "data": { "__typename": "Query" } }));

    assert_eq!(get(&app, "/healthz").await.status(), StatusCode::OK);
    let manifest = get(&app, "/api/platform_adapters.json").await;
    assert_eq!(manifest.status(), StatusCode::OK);
    assert_eq!(header(&manifest, "content-type"), Some("application/json"));
}

#[tokio::test]
async fn without_a_built_app_the_pages_say_how_to_build_it() {
    let empty = tempfile::tempdir().expect("temporary web folder");
    let app = spawn_app_with_web_dir(empty.path()).await;
    for path in ["/", "/videos/123", "/graphiql"] {
        let response = get(&app, path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            header(&response, "content-security-policy"),
            Some(POLICY),
            "{path}"
        );
        let page = response.text().await.expect("page");
        assert!(page.contains("not built"), "{path}: {page}");
        assert!(
            page.contains("npm ci --prefix dashboard &amp;&amp; npm run build --prefix dashboard"),
            "{path}: {page}"
        );
        assert!(page.contains("LOSSY_WEB_DIR"), "{path}: {page}");
        assert!(!page.contains("<script"), "{path}: {page}");
    }
    assert_json_not_found(get(&app, "/assets/app-abc123.js").await, "no assets").await;
}

#[tokio::test]
async fn a_web_dir_that_does_not_exist_stops_the_start() {
    let data = tempfile::tempdir().expect("data folder");
    let mut config = lossy_api::config::Config::local(data.path().to_path_buf());
    config.web_dir = Some(data.path().join("no-such-folder"));
    let built = lossy_api::app::Application::build(config).await;
    let message = format!("{:#}", built.err().expect("a start-up error"));
    assert!(message.contains("LOSSY_WEB_DIR"), "{message}");
}
