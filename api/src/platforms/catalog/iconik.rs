//! Iconik: asset, share and review pages of the current web app, and the previous app's
//! fragment routes (`/#/assets/{id}`). The identity is the asset UUID.

use crate::platforms::spec::{AdapterSpec, PatternSpec};

pub fn adapter() -> AdapterSpec {
    AdapterSpec {
        id: "iconik",
        name: "Iconik",
        hosts: vec!["iconik.io"],
        lowercase_id: true,
        patterns: vec![
            PatternSpec::path(
                r"^app\.iconik\.io$",
                r"^/(?:assets?|share/assets|review/assets|review)/(?<id>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})/?$",
            ),
            PatternSpec::path(r"^app\.iconik\.io$", r"^/$").with_fragment(
                r"^/(?:assets?|share/assets|review/assets)/(?<id>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})/?(?:\?[^#]*)?$",
            ),
        ],
        drop_parameters: vec![],
        canonical: "https://app.iconik.io/asset/{id}",
        embed: "https://app.iconik.io/asset/{id}",
        deep_link: "https://app.iconik.io/asset/{id}?t={seconds}",
        thumbnail: None,
    }
}
