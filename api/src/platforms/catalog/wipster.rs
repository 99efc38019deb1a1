//! Wipster: media and review pages of its web app.

use crate::platforms::spec::{AdapterSpec, PatternSpec};

pub fn adapter() -> AdapterSpec {
    AdapterSpec {
        id: "wipster",
        name: "Wipster",
        hosts: vec!["wipster.io"],
        lowercase_id: false,
        patterns: vec![PatternSpec::path(
            r"^app\.wipster\.io$",
            r"^/(?:media|reviews?)/(?<id>[A-Za-z0-9_-]{6,40})/?$",
        )],
        drop_parameters: vec![],
        canonical: "https://app.wipster.io/media/{id}",
        embed: "https://app.wipster.io/media/{id}",
        deep_link: "https://app.wipster.io/media/{id}?t={seconds}",
        thumbnail: None,
    }
}
