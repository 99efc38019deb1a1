//! Frame.io: the legacy web app's review links and player, and the V4 app's project and share
//! views (on next.frame.io, and on app.frame.io after an account moves). The identity is the
//! asset (file) UUID; a review link without an asset is a collection, not a video. `f.io`
//! short links need the platform to expand them, so they stay generic.

use crate::platforms::spec::{AdapterSpec, PatternSpec};

pub fn adapter() -> AdapterSpec {
    AdapterSpec {
        id: "frameio",
        name: "Frame.io",
        hosts: vec!["frame.io"],
        lowercase_id: true,
        patterns: vec![
            PatternSpec::path(
                r"^app\.frame\.io$",
                r"^/reviews/[0-9A-Za-z-]+/(?<id>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})/?$",
            ),
            PatternSpec::path(
                r"^(?:app|next)\.frame\.io$",
                r"^/player/(?<id>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})/?$",
            ),
            PatternSpec::path(
                r"^(?:app|next)\.frame\.io$",
                r"^/(?:project|share)/[0-9A-Za-z-]+/view/(?<id>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})/?$",
            ),
        ],
        drop_parameters: vec![],
        canonical: "https://app.frame.io/player/{id}",
        embed: "https://app.frame.io/player/{id}",
        deep_link: "https://app.frame.io/player/{id}?t={seconds}",
        thumbnail: None,
    }
}
