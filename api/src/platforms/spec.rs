//! The data an adapter is made of: exactly what the manifest exports and the JavaScript
//! evaluator reads (docs/platforms.md). Field order here is the manifest's byte order.

use serde::Serialize;

/// One platform's rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdapterSpec {
    /// The `platform` of identities it gives (`youtube`, ...).
    pub id: &'static str,
    pub name: &'static str,
    /// Registrable domains (or hosts): a URL's host must equal one or end with `.` plus one.
    pub hosts: Vec<&'static str>,
    /// UUID-based platforms: ids compare in lower case.
    pub lowercase_id: bool,
    /// Tried in order; the first that matches gives the identity.
    pub patterns: Vec<PatternSpec>,
    /// Parameters this platform's `normalize` removes besides the tracking ones.
    pub drop_parameters: Vec<&'static str>,
    pub canonical: &'static str,
    pub embed: &'static str,
    pub deep_link: &'static str,
    /// A still of the video, where the platform serves one at a URL made from the id.
    pub thumbnail: Option<&'static str>,
}

/// One link shape. Regexes use the syntax both engines share (docs/platforms.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PatternSpec {
    pub host: &'static str,
    pub path: &'static str,
    /// Parameters that must be present, with the regex their first value must match.
    #[serde(with = "ordered_pairs")]
    pub query: Vec<(&'static str, &'static str)>,
    /// Parameters whose captures are taken when present and matching.
    #[serde(with = "ordered_pairs")]
    pub optional_query: Vec<(&'static str, &'static str)>,
    /// When set, the fragment (without `#`) must match.
    pub fragment: Option<&'static str>,
}

impl PatternSpec {
    /// A pattern on host and path only.
    pub const fn path(host: &'static str, path: &'static str) -> PatternSpec {
        PatternSpec {
            host,
            path,
            query: Vec::new(),
            optional_query: Vec::new(),
            fragment: None,
        }
    }

    /// Requires `name` to be present with a first value matching `regex`.
    pub fn with_query(mut self, name: &'static str, regex: &'static str) -> PatternSpec {
        self.query.push((name, regex));
        self
    }

    /// Captures from `name` when it is present and matches `regex`.
    pub fn with_optional_query(mut self, name: &'static str, regex: &'static str) -> PatternSpec {
        self.optional_query.push((name, regex));
        self
    }

    /// Requires the fragment to match `regex`.
    pub fn with_fragment(mut self, regex: &'static str) -> PatternSpec {
        self.fragment = Some(regex);
        self
    }
}

/// Query maps serialize as JSON objects in the order written, so the manifest's bytes are
/// stable.
mod ordered_pairs {
    use serde::ser::{SerializeMap, Serializer};

    pub fn serialize<S: Serializer>(
        pairs: &[(&'static str, &'static str)],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(pairs.len()))?;
        for (name, regex) in pairs {
            map.serialize_entry(name, regex)?;
        }
        map.end()
    }
}
