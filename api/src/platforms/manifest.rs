//! The adapter manifest: the catalog as JSON for the extension, versioned by its content
//! (`lossy adapters export`, `GET /api/platform_adapters.json`).

use std::sync::LazyLock;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::catalog::{self, TRACKING_PARAMETERS};
use super::spec::AdapterSpec;

/// The manifest format's version; bump it when the format (not the data) changes.
pub const FORMAT_VERSION: &str = "1.0.0";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    tracking_parameters: &'a [&'static str],
    adapters: &'a [AdapterSpec],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Manifest<'a> {
    manifest_version: String,
    #[serde(flatten)]
    body: Body<'a>,
}

/// The manifest of `adapters` as pretty JSON with a final newline. The version is
/// [`FORMAT_VERSION`] plus the first 16 hex digits of the SHA-256 of the compact JSON of
/// everything else, so any change of the data changes it and the same data gives the same
/// bytes.
pub fn render(tracking_parameters: &[&'static str], adapters: &[AdapterSpec]) -> String {
    export(tracking_parameters, adapters).json
}

/// A rendered manifest and its version.
struct Exported {
    json: String,
    version: String,
}

fn export(tracking_parameters: &[&'static str], adapters: &[AdapterSpec]) -> Exported {
    let body = Body {
        tracking_parameters,
        adapters,
    };
    let compact = serde_json::to_vec(&body).expect("the manifest is plain data");
    let digest = hex::encode(Sha256::digest(&compact));
    let manifest = Manifest {
        manifest_version: format!("{FORMAT_VERSION}+{}", &digest[..16]),
        body,
    };
    let mut json = serde_json::to_string_pretty(&manifest).expect("the manifest is plain data");
    json.push('\n');
    Exported {
        json,
        version: manifest.manifest_version,
    }
}

static EXPORTED: LazyLock<Exported> =
    LazyLock::new(|| export(TRACKING_PARAMETERS, &catalog::adapters()));

/// The catalog's manifest, rendered once.
pub fn exported() -> &'static str {
    &EXPORTED.json
}

/// The exported manifest's `manifestVersion`.
pub fn version() -> &'static str {
    &EXPORTED.version
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(json: &str) -> String {
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        value["manifestVersion"].as_str().unwrap().to_owned()
    }

    #[test]
    fn exporting_twice_gives_the_same_bytes() {
        let adapters = catalog::adapters();
        assert_eq!(
            render(TRACKING_PARAMETERS, &adapters),
            render(TRACKING_PARAMETERS, &catalog::adapters())
        );
        assert!(version(exported()).starts_with("1.0.0+"));
    }

    #[test]
    fn a_changed_pattern_host_or_template_changes_the_version() {
        let original = version(exported());
        let mut changed = catalog::adapters();
        changed[0].patterns[0].path = r"^/watch$";
        assert_ne!(version(&render(TRACKING_PARAMETERS, &changed)), original);
        let mut changed = catalog::adapters();
        changed[1].hosts.push("vimeo.example");
        assert_ne!(version(&render(TRACKING_PARAMETERS, &changed)), original);
        let mut changed = catalog::adapters();
        changed[2].deep_link = "https://app.frame.io/player/{id}";
        assert_ne!(version(&render(TRACKING_PARAMETERS, &changed)), original);
        assert_ne!(version(&render(&["utm_*"], &catalog::adapters())), original);
    }

    #[test]
    fn the_manifest_has_the_documented_fields() {
        let value: serde_json::Value = serde_json::from_str(exported()).unwrap();
        let youtube = &value["adapters"][0];
        assert_eq!(youtube["id"], "youtube");
        assert_eq!(youtube["name"], "YouTube");
        assert_eq!(youtube["lowercaseId"], false);
        assert_eq!(
            youtube["patterns"][0]["query"]["v"],
            "^(?<id>[A-Za-z0-9_-]{11})$"
        );
        assert!(youtube["patterns"][0]["fragment"].is_null());
        for field in ["hosts", "dropParameters", "canonical", "embed", "deepLink"] {
            assert!(!youtube[field].is_null(), "{field}");
        }
        assert_eq!(value["trackingParameters"][0], "utm_*");
    }
}
