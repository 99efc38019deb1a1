//! Every platform's rules, as data. This is the one source of truth: the Rust engine evaluates
//! it and the manifest exports it for the extension (docs/platforms.md).

mod frameio;
mod iconik;
mod tiktok;
mod vimeo;
mod wipster;
mod youtube;

use super::spec::AdapterSpec;

/// Removed from every URL before anything else; `*` ends a prefix.
pub const TRACKING_PARAMETERS: &[&str] = &[
    "utm_*", "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid",
    "igshid", "si", "yclid", "_ga", "_gl", "ref_src", "ref_url",
];

/// The adapters in the order they are tried.
pub fn adapters() -> Vec<AdapterSpec> {
    vec![
        youtube::adapter(),
        vimeo::adapter(),
        frameio::adapter(),
        iconik::adapter(),
        wipster::adapter(),
        tiktok::adapter(),
    ]
}
