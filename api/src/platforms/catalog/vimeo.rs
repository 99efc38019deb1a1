//! Vimeo: plain ids, unlisted links with their hash, channels, groups, showcases and the older
//! albums, review pages, the video manager, on-demand pages and the player host.

use crate::platforms::spec::{AdapterSpec, PatternSpec};

const HOST: &str = r"^(?:www\.)?vimeo\.com$";

pub fn adapter() -> AdapterSpec {
    AdapterSpec {
        id: "vimeo",
        name: "Vimeo",
        hosts: vec!["vimeo.com"],
        lowercase_id: false,
        patterns: vec![
            PatternSpec::path(
                HOST,
                r"^/(?:video/)?(?<id>[0-9]{5,12})(?:/(?<hash>[0-9a-f]{6,20}))?/?$",
            ),
            PatternSpec::path(HOST, r"^/channels/[^/]+/(?<id>[0-9]{5,12})/?$"),
            PatternSpec::path(HOST, r"^/groups/[^/]+/videos/(?<id>[0-9]{5,12})/?$"),
            PatternSpec::path(
                HOST,
                r"^/(?:showcase|album)/[0-9]+/video/(?<id>[0-9]{5,12})/?$",
            ),
            PatternSpec::path(
                HOST,
                // The review token is not the unlisted hash: it does not open the player.
                r"^/[^/]+/review/(?<id>[0-9]{5,12})/[0-9a-f]{6,20}/?$",
            ),
            PatternSpec::path(
                HOST,
                r"^/manage/videos/(?<id>[0-9]{5,12})(?:/(?<hash>[0-9a-f]{6,20}))?/?$",
            ),
            PatternSpec::path(HOST, r"^/ondemand/[^/]+/(?<id>[0-9]{5,12})/?$"),
            PatternSpec::path(r"^player\.vimeo\.com$", r"^/video/(?<id>[0-9]{5,12})/?$")
                .with_optional_query("h", r"^(?<hash>[0-9a-f]{6,20})$"),
        ],
        drop_parameters: vec![
            "share",
            "badge",
            "autopause",
            "autoplay",
            "player_id",
            "app_id",
            "muted",
            "loop",
            "title",
            "byline",
            "portrait",
        ],
        canonical: "https://vimeo.com/{id}[/{hash}]",
        embed: "https://player.vimeo.com/video/{id}[?h={hash}]",
        deep_link: "https://vimeo.com/{id}[/{hash}]#t={seconds}s",
        thumbnail: None,
    }
}
