//! The adapters: one [`SpecAdapter`] per platform of the catalog, evaluating its data, and the
//! [`GenericAdapter`] for every other page.

use std::collections::BTreeMap;

use regex::Regex;
use sha2::{Digest, Sha256};

use super::identity::{GENERIC, Templates, VideoIdentity};
use super::page_url::PageUrl;
use super::spec::{AdapterSpec, PatternSpec};

/// An id and the other captures of the link shape that matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    pub id: String,
    pub extras: BTreeMap<String, String>,
}

/// What every platform adapter answers about a URL.
pub trait PlatformAdapter: Send + Sync {
    /// The `platform` of its identities.
    fn id(&self) -> &'static str;
    /// Whether the URL is on this platform's hosts.
    fn matches(&self, url: &PageUrl) -> bool;
    /// The URL without tracking and platform noise.
    fn normalize(&self, url: &PageUrl) -> String;
    /// The video id, when the URL is one of this platform's video link shapes.
    fn extract_id(&self, url: &PageUrl) -> Option<Extracted>;
    /// The video's identity, when the URL is one of this platform's videos.
    fn canonical(&self, url: &PageUrl) -> Option<VideoIdentity>;
}

/// A platform whose rules are catalog data.
pub struct SpecAdapter {
    spec: AdapterSpec,
    patterns: Vec<Pattern>,
}

struct Pattern {
    host: Regex,
    path: Regex,
    query: Vec<(&'static str, Regex)>,
    optional_query: Vec<(&'static str, Regex)>,
    fragment: Option<Regex>,
}

impl SpecAdapter {
    pub fn compile(spec: AdapterSpec) -> Result<SpecAdapter, regex::Error> {
        let patterns = spec
            .patterns
            .iter()
            .map(Pattern::compile)
            .collect::<Result<_, _>>()?;
        Ok(SpecAdapter { spec, patterns })
    }
}

impl Pattern {
    fn compile(spec: &PatternSpec) -> Result<Pattern, regex::Error> {
        let pairs = |pairs: &[(&'static str, &'static str)]| {
            pairs
                .iter()
                .map(|(name, regex)| Ok((*name, Regex::new(regex)?)))
                .collect::<Result<Vec<_>, regex::Error>>()
        };
        Ok(Pattern {
            host: Regex::new(spec.host)?,
            path: Regex::new(spec.path)?,
            query: pairs(&spec.query)?,
            optional_query: pairs(&spec.optional_query)?,
            fragment: spec.fragment.map(Regex::new).transpose()?,
        })
    }

    /// The captures of `url` in the order path, query, optional query, fragment (the first
    /// capture of a name wins), or `None` when a required part does not match.
    fn captures(&self, url: &PageUrl) -> Option<BTreeMap<String, String>> {
        if !self.host.is_match(url.host()) {
            return None;
        }
        let mut found = BTreeMap::new();
        take(&self.path, url.path(), &mut found)?;
        for (name, regex) in &self.query {
            take(regex, url.param(name)?, &mut found)?;
        }
        for (name, regex) in &self.optional_query {
            if let Some(value) = url.param(name) {
                let _ = take(regex, value, &mut found);
            }
        }
        if let Some(regex) = &self.fragment {
            take(regex, url.fragment(), &mut found)?;
        }
        Some(found)
    }
}

/// Adds the named captures of `regex` on `text` that are not taken yet; `None` if no match.
fn take(regex: &Regex, text: &str, found: &mut BTreeMap<String, String>) -> Option<()> {
    let captures = regex.captures(text)?;
    for name in regex.capture_names().flatten() {
        if let Some(value) = captures.name(name) {
            found
                .entry(name.to_owned())
                .or_insert_with(|| value.as_str().to_owned());
        }
    }
    Some(())
}

/// True when `host` is `domain` or one of its subdomains (whole labels, never a substring).
pub fn on_domain(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.'))
}

impl PlatformAdapter for SpecAdapter {
    fn id(&self) -> &'static str {
        self.spec.id
    }

    fn matches(&self, url: &PageUrl) -> bool {
        self.spec
            .hosts
            .iter()
            .any(|domain| on_domain(url.host(), domain))
    }

    fn normalize(&self, url: &PageUrl) -> String {
        url.without(&self.spec.drop_parameters)
    }

    fn extract_id(&self, url: &PageUrl) -> Option<Extracted> {
        if !self.matches(url) {
            return None;
        }
        self.patterns.iter().find_map(|pattern| {
            let mut extras = pattern.captures(url)?;
            let id = extras.remove("id")?;
            let id = if self.spec.lowercase_id {
                id.to_ascii_lowercase()
            } else {
                id
            };
            Some(Extracted { id, extras })
        })
    }

    fn canonical(&self, url: &PageUrl) -> Option<VideoIdentity> {
        let Extracted { id, extras } = self.extract_id(url)?;
        Some(VideoIdentity::new(
            self.spec.id,
            id,
            extras,
            Templates {
                canonical: self.spec.canonical,
                embed: self.spec.embed,
                deep_link: self.spec.deep_link,
                thumbnail: self.spec.thumbnail,
            },
            url.generic(),
        ))
    }
}

/// Any page: the id is the SHA-256 of the generic normalized URL.
pub struct GenericAdapter;

impl GenericAdapter {
    /// The generic identity, which every page has.
    pub fn identity(&self, url: &PageUrl) -> VideoIdentity {
        let normalized = url.generic();
        VideoIdentity::new(
            GENERIC,
            hex::encode(Sha256::digest(normalized.as_bytes())),
            BTreeMap::new(),
            Templates {
                canonical: "{url}",
                embed: "{url}",
                deep_link: "{url}#t={seconds}",
                thumbnail: None,
            },
            normalized,
        )
    }
}

impl PlatformAdapter for GenericAdapter {
    fn id(&self) -> &'static str {
        GENERIC
    }

    fn matches(&self, _url: &PageUrl) -> bool {
        true
    }

    fn normalize(&self, url: &PageUrl) -> String {
        url.generic()
    }

    fn extract_id(&self, url: &PageUrl) -> Option<Extracted> {
        let identity = self.identity(url);
        Some(Extracted {
            id: identity.external_id,
            extras: identity.extras,
        })
    }

    fn canonical(&self, url: &PageUrl) -> Option<VideoIdentity> {
        Some(self.identity(url))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_match_on_whole_labels() {
        assert!(on_domain("youtube.com", "youtube.com"));
        assert!(on_domain("m.youtube.com", "youtube.com"));
        assert!(!on_domain("notyoutube.com", "youtube.com"));
        assert!(!on_domain("youtube.com.evil.example", "youtube.com"));
    }
}
