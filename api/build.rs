//! Embeds the built web app (`../dashboard/dist`) in the server binary.
//!
//! Writes `$OUT_DIR/web_assets.rs`: one `(path, include_bytes!(absolute path))` row per file,
//! with `/`-separated paths relative to `dist`, sorted. `crate::web` turns the table into the
//! files it serves. A missing `dist` (the web app not built yet) gives an empty table: the
//! server still builds, and says at `/` how to build the app.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let dashboard = manifest_dir.join("..").join("dashboard");
    let dist = dashboard.join("dist");
    println!("cargo:rerun-if-changed=build.rs");
    // Cargo reruns a build script on every build while a watched path is missing, and the
    // server would then be recompiled every time. So without `dist`, watch the folder that
    // will hold it: building the web app there creates it and reruns this script.
    if dist.is_dir() {
        println!("cargo:rerun-if-changed={}", dist.display());
    } else if dashboard.is_dir() {
        println!("cargo:rerun-if-changed={}", dashboard.display());
    }

    let mut files = Vec::new();
    if dist.is_dir() {
        collect(&dist, &dist, &mut files);
    }
    files.sort();

    let mut table = String::from("&[\n");
    for (path, absolute) in &files {
        // `{:?}` writes a Rust string literal, escapes included.
        let _ = writeln!(
            table,
            "    ({path:?}, include_bytes!({absolute:?}).as_slice()),"
        );
    }
    table.push(']');
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo")).join("web_assets.rs");
    // Rewritten only when it changes, so an unchanged app does not recompile the server.
    if fs::read_to_string(&out).ok().as_deref() != Some(table.as_str()) {
        fs::write(&out, table).expect("writing the web asset table");
    }
}

/// Every file under `dir` as (path relative to `root` with `/` separators, absolute path).
fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        println!("cargo:warning=cannot read {}; skipped", dir.display());
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files);
            continue;
        }
        if !path.is_file() {
            continue;
        }
        let relative = path.strip_prefix(root).ok().and_then(|relative| {
            let parts: Option<Vec<&str>> = relative.iter().map(|part| part.to_str()).collect();
            parts.map(|parts| parts.join("/"))
        });
        let absolute = fs::canonicalize(&path)
            .ok()
            .and_then(|absolute| absolute.to_str().map(str::to_owned));
        match (relative, absolute) {
            (Some(relative), Some(absolute)) => files.push((relative, absolute)),
            _ => println!(
                "cargo:warning=web app file {} has a name that is not UTF-8; not embedded",
                path.display()
            ),
        }
    }
}
