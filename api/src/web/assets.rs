//! The table of the web app's files: each file's bytes with what serving it needs, worked out
//! once when the table is loaded (type, cache policy, entity tag) or on first use (its gzip).

use std::collections::HashMap;
use std::io::Write as _;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use anyhow::Context as _;
use axum::body::Bytes;
use axum::http::HeaderValue;
use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};

/// The app's page: what `/` and every client-side route answer.
pub const INDEX: &str = "index.html";
/// GraphiQL's page, answered at `/graphiql`.
pub const GRAPHIQL: &str = "graphiql.html";

/// Vite names what it builds under `assets/` after a hash of the content, so a file there
/// never changes under its name.
const HASHED_PREFIX: &str = "assets/";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else (the pages, `favicon.ico`, ...) keeps its name across builds: caches must
/// ask again, and the entity tag makes that cheap.
const REVALIDATE: &str = "no-cache";

/// Content type by file extension, and whether gzip pays for it. PNG, WOFF and WOFF2 are
/// compressed already.
const CONTENT_TYPES: [(&str, &str, bool); 14] = [
    ("html", "text/html; charset=utf-8", true),
    ("js", "text/javascript; charset=utf-8", true),
    ("mjs", "text/javascript; charset=utf-8", true),
    ("css", "text/css; charset=utf-8", true),
    ("json", "application/json", true),
    ("svg", "image/svg+xml", true),
    ("png", "image/png", false),
    ("ico", "image/x-icon", true),
    ("woff2", "font/woff2", false),
    // GraphiQL's editor ships its icon font as TrueType.
    ("ttf", "font/ttf", true),
    ("woff", "font/woff", false),
    ("wasm", "application/wasm", true),
    ("map", "application/json", true),
    ("txt", "text/plain; charset=utf-8", true),
];
const OCTET_STREAM: &str = "application/octet-stream";

/// The app embedded at build time by `build.rs`: (path under `dist`, bytes).
const EMBEDDED: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));

/// One file of the web app.
#[derive(Debug)]
pub struct Asset {
    path: String,
    body: Bytes,
    content_type: &'static str,
    compressible: bool,
    cache_control: &'static str,
    etag: HeaderValue,
    gzip_etag: HeaderValue,
    /// Filled on first use; `None` when gzip would not make the file smaller.
    gzip: OnceLock<Option<Bytes>>,
}

impl Asset {
    /// `path` is relative to the app's root, with `/` separators (`assets/app-1a2b.js`).
    pub fn new(path: impl Into<String>, body: impl Into<Bytes>) -> Asset {
        let path = path.into();
        let body = body.into();
        let (content_type, compressible) = content_type(&path);
        let cache_control = if path.starts_with(HASHED_PREFIX) {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        // A strong tag: the same bytes, the same tag, on every node running this build. The
        // gzip variant is other bytes, so it gets a tag of its own.
        let digest = hex::encode(&Sha256::digest(&body)[..16]);
        let tag = |suffix: &str| {
            HeaderValue::from_str(&format!("\"{digest}{suffix}\""))
                .expect("hex digits make a valid header value")
        };
        Asset {
            etag: tag(""),
            gzip_etag: tag("-gzip"),
            path,
            body,
            content_type,
            compressible,
            cache_control,
            gzip: OnceLock::new(),
        }
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn body(&self) -> &Bytes {
        &self.body
    }

    pub fn content_type(&self) -> &'static str {
        self.content_type
    }

    /// Whether the type is worth compressing (text, JSON, SVG, WASM).
    pub fn compressible(&self) -> bool {
        self.compressible
    }

    pub fn cache_control(&self) -> &'static str {
        self.cache_control
    }

    pub fn is_html(&self) -> bool {
        self.content_type.starts_with("text/html")
    }

    /// The entity tag of the bytes as stored.
    pub fn etag(&self) -> &HeaderValue {
        &self.etag
    }

    /// The entity tag of the gzip-encoded bytes.
    pub fn gzip_etag(&self) -> &HeaderValue {
        &self.gzip_etag
    }

    /// The gzip-encoded bytes, compressed on the first call and kept; `None` for a type not
    /// worth compressing, or when gzip would not be smaller. The first call may take a while
    /// for a large file: callers on an async runtime make it on a blocking thread.
    pub fn gzipped(&self) -> Option<&Bytes> {
        if !self.compressible {
            return None;
        }
        self.gzip
            .get_or_init(|| gzip(&self.body).filter(|gz| gz.len() < self.body.len()))
            .as_ref()
    }

    /// Whether [`Asset::gzipped`] answers at once.
    pub fn gzip_ready(&self) -> bool {
        !self.compressible || self.gzip.get().is_some()
    }

    /// Whether `if_none_match` (an `If-None-Match` value) names this file as it is now, in
    /// either encoding. Compared weakly, as RFC 9110 asks for this header.
    pub fn matches(&self, if_none_match: &str) -> bool {
        let ours = [self.etag.as_bytes(), self.gzip_etag.as_bytes()];
        if_none_match.split(',').map(str::trim).any(|tag| {
            let tag = tag.strip_prefix("W/").unwrap_or(tag);
            tag == "*" || ours.contains(&tag.as_bytes())
        })
    }
}

fn content_type(path: &str) -> (&'static str, bool) {
    let extension = path
        .rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, extension)| extension.to_ascii_lowercase());
    extension
        .and_then(|extension| {
            CONTENT_TYPES
                .iter()
                .find(|(known, _, _)| *known == extension)
                .map(|(_, content_type, compressible)| (*content_type, *compressible))
        })
        .unwrap_or((OCTET_STREAM, false))
}

fn gzip(body: &[u8]) -> Option<Bytes> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(body.len() / 3), Compression::default());
    encoder.write_all(body).ok()?;
    encoder.finish().ok().map(Bytes::from)
}

/// Every file of the web app, by path relative to the app's root.
#[derive(Debug, Default)]
pub struct WebAssets {
    files: HashMap<String, Arc<Asset>>,
}

impl WebAssets {
    /// The app as `build.rs` embedded it; empty when `dashboard/dist` was missing at build.
    pub fn embedded() -> WebAssets {
        WebAssets::from_files(
            EMBEDDED
                .iter()
                .map(|(path, body)| ((*path).to_owned(), Bytes::from_static(body))),
        )
    }

    /// Every file under `dir`, read now (later changes on disk are not seen). A folder that
    /// does not exist is an error: `LOSSY_WEB_DIR` was set to serve it.
    pub fn from_dir(dir: &Path) -> anyhow::Result<WebAssets> {
        if !dir.is_dir() {
            anyhow::bail!("{} is not a folder", dir.display());
        }
        let mut files = Vec::new();
        read_dir(dir, "", &mut files)?;
        Ok(WebAssets::from_files(files))
    }

    /// A table of the given (path, bytes) files.
    pub fn from_files(files: impl IntoIterator<Item = (String, Bytes)>) -> WebAssets {
        WebAssets {
            files: files
                .into_iter()
                .map(|(path, body)| (path.clone(), Arc::new(Asset::new(path, body))))
                .collect(),
        }
    }

    /// The embedded app, or the one in `dir` when given.
    pub fn load(dir: Option<&Path>) -> anyhow::Result<WebAssets> {
        match dir {
            Some(dir) => WebAssets::from_dir(dir).with_context(|| {
                format!("reading the web app from {} (LOSSY_WEB_DIR)", dir.display())
            }),
            None => Ok(WebAssets::embedded()),
        }
    }

    /// The file at `path` (relative, `/` separators).
    pub fn get(&self, path: &str) -> Option<&Arc<Asset>> {
        self.files.get(path)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Whether the app's page is there (the web app was built).
    pub fn has_app(&self) -> bool {
        self.files.contains_key(INDEX)
    }
}

/// Reads the files under `dir` into `files`, named `prefix` + their path below `dir`.
fn read_dir(dir: &Path, prefix: &str, files: &mut Vec<(String, Bytes)>) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("listing {}", dir.display()))?;
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            tracing::warn!(path = %path.display(), "web app file name is not UTF-8; not served");
            continue;
        };
        let name = format!("{prefix}{name}");
        if path.is_dir() {
            read_dir(&path, &format!("{name}/"), files)?;
        } else if path.is_file() {
            let body =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            files.push((name, Bytes::from(body)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;

    fn asset(path: &str, body: &'static [u8]) -> Asset {
        Asset::new(path, Bytes::from_static(body))
    }

    #[test]
    fn content_types_follow_the_extension() {
        let cases = [
            ("index.html", "text/html; charset=utf-8"),
            ("assets/app-abc123.js", "text/javascript; charset=utf-8"),
            ("assets/worker-x.mjs", "text/javascript; charset=utf-8"),
            ("assets/app-abc123.css", "text/css; charset=utf-8"),
            ("manifest.json", "application/json"),
            ("logo.svg", "image/svg+xml"),
            ("assets/logo-1.PNG", "image/png"),
            ("favicon.ico", "image/x-icon"),
            ("assets/font-1.woff2", "font/woff2"),
            ("assets/codicon-1.ttf", "font/ttf"),
            ("assets/ort-1.wasm", "application/wasm"),
            ("assets/app-abc123.js.map", "application/json"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("data.bin", OCTET_STREAM),
            ("LICENSE", OCTET_STREAM),
            ("assets.d/noextension", OCTET_STREAM),
        ];
        for (path, expected) in cases {
            assert_eq!(asset(path, b"x").content_type(), expected, "{path}");
        }
        assert!(asset("a.css", b"x").compressible());
        assert!(!asset("a.png", b"x").compressible());
        assert!(!asset("a.bin", b"x").compressible());
    }

    #[test]
    fn only_hashed_assets_are_immutable() {
        assert_eq!(
            asset("assets/app-abc123.js", b"x").cache_control(),
            "public, max-age=31536000, immutable"
        );
        for path in [
            "index.html",
            "graphiql.html",
            "favicon.ico",
            "sub/assets/x.js",
        ] {
            assert_eq!(asset(path, b"x").cache_control(), "no-cache", "{path}");
        }
    }

    #[test]
    fn the_entity_tag_follows_the_bytes() {
        let a = asset("a.js", b"one");
        assert_eq!(
            a.etag(),
            asset("b.js", b"one").etag(),
            "same bytes, same tag"
        );
        assert_ne!(a.etag(), asset("a.js", b"two").etag());
        let tag = a.etag().to_str().unwrap_or_default();
        assert!(
            tag.starts_with('"') && tag.ends_with('"') && tag.len() == 34,
            "{tag}"
        );
        assert_ne!(a.etag(), a.gzip_etag());
    }

    #[test]
    fn if_none_match_is_compared_weakly_in_a_list() {
        let a = asset("a.js", b"one");
        let tag = a.etag().to_str().unwrap_or_default().to_owned();
        let gz = a.gzip_etag().to_str().unwrap_or_default().to_owned();
        assert!(a.matches(&tag));
        assert!(a.matches(&gz));
        assert!(a.matches(&format!("W/{tag}")));
        assert!(a.matches(&format!("\"other\", {tag}")));
        assert!(a.matches("*"));
        assert!(!a.matches("\"other\""));
        assert!(!a.matches(""));
        assert!(!a.matches(tag.trim_matches('"')), "unquoted is not the tag");
    }

    #[test]
    fn gzip_is_made_once_and_decodes_to_the_file() {
        let text = "const answer = 42;\n".repeat(200);
        let a = Asset::new("assets/app-1.js", text.clone());
        assert!(!a.gzip_ready());
        let gz = a.gzipped().cloned().unwrap_or_default();
        assert!(a.gzip_ready());
        assert!(gz.len() < text.len());
        let mut decoded = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut decoded)
            .unwrap_or_default();
        assert_eq!(decoded, text);
        // Kept: the same buffer again.
        assert_eq!(a.gzipped().map(|b| b.as_ptr()), Some(gz.as_ptr()));
    }

    #[test]
    fn gzip_is_skipped_when_it_does_not_pay() {
        assert_eq!(asset("tiny.js", b"x").gzipped(), None, "not smaller");
        let png = asset(
            "a.png",
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        );
        assert_eq!(png.gzipped(), None, "a type already compressed");
        assert!(png.gzip_ready());
    }

    #[test]
    fn a_folder_is_read_with_slash_separated_paths() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("assets/fonts")).unwrap();
        std::fs::write(dir.path().join("index.html"), "<!doctype html>").unwrap();
        std::fs::write(dir.path().join("assets/app-1.js"), "1").unwrap();
        std::fs::write(dir.path().join("assets/fonts/a-1.woff2"), "2").unwrap();
        let assets = WebAssets::from_dir(dir.path()).unwrap();
        assert_eq!(assets.len(), 3);
        assert!(assets.has_app());
        assert_eq!(
            assets
                .get("assets/fonts/a-1.woff2")
                .map(|a| a.body().clone()),
            Some(Bytes::from_static(b"2"))
        );
        assert!(WebAssets::from_dir(&dir.path().join("missing")).is_err());
        let empty = tempfile::tempdir().unwrap();
        let assets = WebAssets::from_dir(empty.path()).unwrap();
        assert!(assets.is_empty() && !assets.has_app());
    }
}
