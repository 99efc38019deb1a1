//! TikTok: video pages under a user, the mobile `/v/{id}.html` shape, embeds and the player.
//! TikTok has no start-time parameter, so the deep link is the video itself. `vm.tiktok.com`
//! short links need TikTok to expand them and stay generic.

use crate::platforms::spec::{AdapterSpec, PatternSpec};

const HOST: &str = r"^(?:www\.|m\.)?tiktok\.com$";

pub fn adapter() -> AdapterSpec {
    AdapterSpec {
        id: "tiktok",
        name: "TikTok",
        hosts: vec!["tiktok.com"],
        lowercase_id: false,
        patterns: vec![
            PatternSpec::path(HOST, r"^/(?:@[^/]*/)?video/(?<id>[0-9]{15,21})/?$"),
            PatternSpec::path(HOST, r"^/v/(?<id>[0-9]{15,21})(?:\.html)?/?$"),
            PatternSpec::path(HOST, r"^/embed(?:/v2)?/(?<id>[0-9]{15,21})/?$"),
            PatternSpec::path(HOST, r"^/player/v1/(?<id>[0-9]{15,21})/?$"),
        ],
        drop_parameters: vec![
            "is_from_webapp",
            "sender_device",
            "sender_web_id",
            "is_copy_url",
            "web_id",
            "_r",
            "_t",
        ],
        canonical: "https://www.tiktok.com/@/video/{id}",
        embed: "https://www.tiktok.com/embed/v2/{id}",
        deep_link: "https://www.tiktok.com/@/video/{id}",
        thumbnail: None,
    }
}
