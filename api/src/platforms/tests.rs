//! The catalog against the fixtures of tests/fixtures/platform_urls.json (the same file the
//! JavaScript evaluator is checked with), the regex subset both engines share, and properties.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde::Deserialize;

use super::Platforms;
use super::catalog::{self, TRACKING_PARAMETERS};
use super::page_url::PageUrl;
use super::template::placeholders;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Fixture {
    url: Option<String>,
    url_repeat: Option<Repeat>,
    note: Option<String>,
    expect: Option<Expected>,
    error: Option<String>,
}

#[derive(Deserialize)]
struct Repeat {
    prefix: String,
    char: String,
    count: usize,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Expected {
    platform: String,
    external_id: String,
    canonical_url: String,
    embed_url: String,
    deep_link75: String,
    extras: BTreeMap<String, String>,
}

impl Fixture {
    fn url(&self) -> String {
        match (&self.url, &self.url_repeat) {
            (Some(url), _) => url.clone(),
            (None, Some(r)) => format!("{}{}", r.prefix, r.char.repeat(r.count)),
            (None, None) => panic!("a fixture without url: {:?}", self.note),
        }
    }
}

fn fixtures() -> Vec<Fixture> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/platform_urls.json"
    );
    let text = std::fs::read_to_string(path).expect("tests/fixtures/platform_urls.json");
    serde_json::from_str(&text).expect("the fixtures parse")
}

fn platforms() -> &'static Platforms {
    Platforms::get().expect("the catalog compiles")
}

#[test]
fn every_fixture_resolves_to_its_expected_identity() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 120, "only {} fixtures", fixtures.len());
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let url = fixture.url();
        let shown: String = url.chars().take(120).collect();
        match (
            platforms().resolve(&url, true),
            &fixture.expect,
            &fixture.error,
        ) {
            (Ok(identity), Some(expected), _) => {
                let actual = Expected {
                    platform: identity.platform.to_owned(),
                    external_id: identity.external_id.clone(),
                    canonical_url: identity.canonical_url.clone(),
                    embed_url: identity.embed_url.clone(),
                    deep_link75: identity.deep_link(75.9),
                    extras: identity.extras.clone(),
                };
                if &actual != expected {
                    failures.push(format!(
                        "{shown}\n  expected {expected:?}\n  actual   {actual:?}"
                    ));
                }
            }
            (Err(_), None, Some(code)) if code == "BAD_USER_INPUT" => {}
            (Ok(identity), None, _) => {
                failures.push(format!("{shown}\n  expected an error, got {identity:?}"))
            }
            (Err(err), _, _) => failures.push(format!("{shown}\n  unexpected error {err}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_catalog_compiles_and_its_templates_only_use_known_values() {
    platforms();
    for adapter in catalog::adapters() {
        let captures: Vec<String> = adapter
            .patterns
            .iter()
            .flat_map(|p| {
                let mut regexes = vec![p.host, p.path];
                regexes.extend(p.query.iter().map(|(_, r)| *r));
                regexes.extend(p.optional_query.iter().map(|(_, r)| *r));
                regexes.extend(p.fragment);
                regexes
            })
            .flat_map(|r| {
                regex::Regex::new(r)
                    .unwrap()
                    .capture_names()
                    .flatten()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect();
        let templates = [adapter.canonical, adapter.embed, adapter.deep_link];
        for template in templates.into_iter().chain(adapter.thumbnail) {
            for name in placeholders(template) {
                assert!(
                    ["id", "seconds", "url"].contains(&name) || captures.iter().any(|c| c == name),
                    "{}: {template} uses {{{name}}}, which nothing captures",
                    adapter.id
                );
            }
        }
        for pattern in &adapter.patterns {
            let mut ids = vec![pattern.path];
            ids.extend(pattern.query.iter().map(|(_, r)| *r));
            ids.extend(pattern.fragment);
            assert!(
                ids.iter().any(|r| r.contains("(?<id>")),
                "{}: a pattern with no required id capture: {pattern:?}",
                adapter.id
            );
        }
    }
}

/// The syntax both engines read alike (docs/platforms.md, "Regex syntax").
fn outside_the_shared_subset(regex: &str) -> Option<&'static str> {
    let bytes = regex.as_bytes();
    let mut in_class = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                // JavaScript's `u` flag only takes escapes of syntax characters (and `-` in a
                // class); Rust takes more, and reads `\d \w \s \b` as Unicode.
                match bytes.get(i + 1) {
                    Some(
                        b'^' | b'$' | b'\\' | b'.' | b'*' | b'+' | b'?' | b'(' | b')' | b'[' | b']'
                        | b'{' | b'}' | b'|' | b'/' | b'n' | b't' | b'r',
                    ) => {}
                    Some(b'-') if in_class => {}
                    _ => return Some("an escape the two engines read differently"),
                }
                i += 2;
                continue;
            }
            b'[' if !in_class => {
                if bytes.get(i + 1) == Some(&b'[') || regex[i..].starts_with("[[:") {
                    return Some("nested or POSIX classes");
                }
                in_class = true;
            }
            b']' if in_class => in_class = false,
            b'.' if !in_class => return Some("`.` outside a class"),
            b'(' if !in_class && bytes.get(i + 1) == Some(&b'?') => {
                let rest = &regex[i + 2..];
                let named =
                    rest.starts_with('<') && !rest.starts_with("<=") && !rest.starts_with("<!");
                if !(rest.starts_with(':') || named) {
                    return Some("only (?:...) and (?<name>...) groups");
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[test]
fn every_pattern_uses_only_the_syntax_both_engines_share() {
    for adapter in catalog::adapters() {
        for pattern in &adapter.patterns {
            let mut regexes = vec![pattern.host, pattern.path];
            regexes.extend(pattern.query.iter().map(|(_, r)| *r));
            regexes.extend(pattern.optional_query.iter().map(|(_, r)| *r));
            regexes.extend(pattern.fragment);
            for regex in regexes {
                assert_eq!(
                    outside_the_shared_subset(regex),
                    None,
                    "{}: {regex}",
                    adapter.id
                );
            }
        }
    }
    for bad in [
        r"^\d+$",
        r"^a.b$",
        r"(?P<id>x)",
        r"(?i)x",
        r"(?=x)",
        r"\p{L}",
        r"(a)\1",
        r"\-",
        r"\@",
    ] {
        assert!(outside_the_shared_subset(bad).is_some(), "{bad}");
    }
}

/// URLs in the shapes of the catalog and around it.
fn url_strategy() -> impl Strategy<Value = String> {
    let hosts = prop::sample::select(vec![
        "www.youtube.com",
        "youtu.be",
        "m.youtube.com",
        "vimeo.com",
        "player.vimeo.com",
        "app.frame.io",
        "next.frame.io",
        "app.iconik.io",
        "app.wipster.io",
        "www.tiktok.com",
        "example.com",
        "EXAMPLE.org.",
        "notyoutube.com",
    ]);
    let segment = "[A-Za-z0-9_~%.-]{0,12}";
    (
        prop::sample::select(vec!["http://", "https://", "HTTPS://", ""]),
        hosts,
        prop::collection::vec(segment, 0..4),
        prop::collection::vec(("[a-z_]{1,6}", "[A-Za-z0-9%+_-]{0,12}"), 0..4),
        prop::option::of("[A-Za-z0-9=/_-]{0,10}"),
    )
        .prop_map(|(scheme, host, path, query, fragment)| {
            let mut url = format!("{scheme}{host}/{}", path.join("/"));
            for (i, (k, v)) in query.iter().enumerate() {
                url.push(if i == 0 { '?' } else { '&' });
                url.push_str(&format!("{k}={v}"));
            }
            if let Some(fragment) = fragment {
                url.push('#');
                url.push_str(&fragment);
            }
            url
        })
}

proptest! {
    #[test]
    fn arbitrary_strings_never_panic(input in any::<String>()) {
        let _ = platforms().resolve(&input, true);
        let _ = PageUrl::parse(&input, TRACKING_PARAMETERS);
    }

    #[test]
    fn canonicalization_is_idempotent(url in url_strategy()) {
        if let Ok(identity) = platforms().resolve(&url, true) {
            let again = platforms().resolve(&identity.canonical_url, true).unwrap();
            prop_assert_eq!(&again.platform, &identity.platform);
            prop_assert_eq!(&again.external_id, &identity.external_id);
            prop_assert_eq!(&again.canonical_url, &identity.canonical_url);
            let page = PageUrl::parse(&url, TRACKING_PARAMETERS).unwrap();
            let normalized = PageUrl::parse(&page.generic(), TRACKING_PARAMETERS).unwrap();
            prop_assert_eq!(normalized.generic(), page.generic());
        }
    }

    #[test]
    fn a_deep_link_resolves_to_the_same_video(url in url_strategy(), seconds in 0.0f64..100_000.0) {
        if let Ok(identity) = platforms().resolve(&url, true) {
            let deep = platforms().resolve(&identity.deep_link(seconds), true).unwrap();
            prop_assert_eq!(&deep.platform, &identity.platform);
            prop_assert_eq!(&deep.external_id, &identity.external_id);
        }
    }
}
