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
. "$repo_root/scripts/lossy-bin.sh"

manifest="$(mktemp)"
trap 'rm -f "$manifest"' EXIT
"$LOSSY_BIN" adapters export >"$manifest"
node "$here/check.mjs" "$manifest" "$repo_root/tests/fixtures/platform_urls.json"
