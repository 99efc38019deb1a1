//! YouTube: watch pages (the id in `v=` wherever it sits), youtu.be, shorts, live, embeds,
//! youtube-nocookie, the mobile and music hosts, and attribution links that wrap a watch path.

use crate::platforms::spec::{AdapterSpec, PatternSpec};

const HOST: &str = r"^(?:www\.|m\.|music\.)?youtube\.com$";

pub fn adapter() -> AdapterSpec {
    AdapterSpec {
        id: "youtube",
        name: "YouTube",
        hosts: vec![
            "youtube.com",
            "youtu.be",
            "youtube-nocookie.com",
            "youtube.googleapis.com",
        ],
        lowercase_id: false,
        patterns: vec![
            PatternSpec::path(HOST, r"^/(?:watch/?)?$")
                .with_query("v", r"^(?<id>[A-Za-z0-9_-]{11})$"),
            PatternSpec::path(
                HOST,
                r"^/(?:shorts|live|embed|v|e)/(?<id>[A-Za-z0-9_-]{11})/?$",
            ),
            // `u` is a watch path with its own query, e.g. `/watch?v=ID&feature=share`.
            PatternSpec::path(HOST, r"^/attribution_link/?$").with_query(
                "u",
                r"^/watch/?\?(?:[^&#]*&)*v=(?<id>[A-Za-z0-9_-]{11})(?:[&#][^\n]*)?$",
            ),
            PatternSpec::path(r"^(?:www\.)?youtu\.be$", r"^/(?<id>[A-Za-z0-9_-]{11})/?$"),
            PatternSpec::path(
                r"^(?:www\.)?youtube-nocookie\.com$",
                r"^/(?:embed|v)/(?<id>[A-Za-z0-9_-]{11})/?$",
            ),
            PatternSpec::path(
                r"^youtube\.googleapis\.com$",
                r"^/(?:embed|v)/(?<id>[A-Za-z0-9_-]{11})/?$",
            ),
        ],
        drop_parameters: vec![
            "feature",
            "pp",
            "ab_channel",
            "app",
            "embeds_referring_euri",
            "source_ve_path",
        ],
        canonical: "https://www.youtube.com/watch?v={id}",
        embed: "https://www.youtube.com/embed/{id}",
        deep_link: "https://www.youtube.com/watch?v={id}&t={seconds}s",
        thumbnail: Some("https://i.ytimg.com/vi/{id}/hqdefault.jpg"),
    }
}
