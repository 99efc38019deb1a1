//! Platform adapters and canonical video identity (PROTOCOL.md section 7, docs/platforms.md).
//!
//! - [`catalog`]: every platform's rules as data, the one source of truth.
//! - [`spec`]: the shape of that data, which is also the manifest's.
//! - [`page_url`]: parsing and normalizing a page URL.
//! - [`adapter`]: the adapter trait, the data-driven adapter and the generic one.
//! - [`identity`]: the resulting `VideoIdentity` and its deep links.
//! - [`manifest`]: the exported JSON for the extension.
//! - [`store`] and [`graphql`]: the user's videos and the GraphQL API.

pub mod adapter;
pub mod catalog;
pub mod graphql;
pub mod http;
pub mod identity;
pub mod manifest;
pub mod page_url;
pub mod spec;
pub mod store;
mod template;
#[cfg(test)]
mod tests;

use std::sync::LazyLock;

use adapter::{GenericAdapter, PlatformAdapter, SpecAdapter};
use identity::VideoIdentity;
use page_url::{PageUrl, UrlError};

/// The compiled catalog.
pub struct Platforms {
    adapters: Vec<SpecAdapter>,
}

static PLATFORMS: LazyLock<Result<Platforms, String>> =
    LazyLock::new(|| Platforms::compile().map_err(|err| err.to_string()));

impl Platforms {
    fn compile() -> Result<Platforms, regex::Error> {
        let adapters = catalog::adapters()
            .into_iter()
            .map(SpecAdapter::compile)
            .collect::<Result<_, _>>()?;
        Ok(Platforms { adapters })
    }

    /// The catalog, compiled on first use. Start-up calls it first (`Application::build`), so
    /// a catalog that does not compile stops the server there rather than failing a request;
    /// a unit test compiles it too.
    pub fn get() -> anyhow::Result<&'static Platforms> {
        PLATFORMS
            .as_ref()
            .map_err(|err| anyhow::anyhow!("the platform catalog does not compile: {err}"))
    }

    /// The identity of the video at `url`: the first adapter whose link shapes match, else
    /// generic. With `adapters` off (the user's `server_platform_adapters` flag), generic.
    pub fn resolve(&self, url: &str, adapters: bool) -> Result<VideoIdentity, UrlError> {
        let page = PageUrl::parse(url, catalog::TRACKING_PARAMETERS)?;
        Ok(self.identify(&page, adapters))
    }

    /// The same for a page URL already parsed.
    pub fn identify(&self, page: &PageUrl, adapters: bool) -> VideoIdentity {
        let specific = adapters
            .then(|| self.adapters.iter().find_map(|a| a.canonical(page)))
            .flatten();
        specific.unwrap_or_else(|| GenericAdapter.identity(page))
    }

    /// The adapters, in the order they are tried.
    pub fn adapters(&self) -> impl Iterator<Item = &dyn PlatformAdapter> {
        self.adapters.iter().map(|a| a as &dyn PlatformAdapter)
    }
}
