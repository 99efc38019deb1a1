#!/usr/bin/env bash
# The platform fixtures through the JavaScript reference evaluator, with the manifest exported
# by the real `lossy adapters export` (the Rust side runs the same fixtures in
# api/src/platforms/tests.rs). Builds the server binary unless LOSSY_BIN names one.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"

if ! command -v node >/dev/null 2>&1; then
  echo "node is required for the platform adapter check" >&2
  exit 1
fi
if [ -z "${LOSSY_BIN:-}" ]; then
  (cd "$repo_root" && cargo build --locked --bin lossy)
  target_dir="${CARGO_TARGET_DIR:-target}"
  case "$target_dir" in
    /*) ;;
    *) target_dir="$repo_root/$target_dir" ;;
  esac
  LOSSY_BIN="$target_dir/debug/lossy"
fi

manifest="$(mktemp)"
trap 'rm -f "$manifest"' EXIT
"$LOSSY_BIN" adapters export >"$manifest"
node "$here/check.mjs" "$manifest" "$repo_root/tests/fixtures/platform_urls.json"
