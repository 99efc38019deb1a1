#!/usr/bin/env bash
# The platform fixtures through the extension's TypeScript evaluator, with the manifest exported
# by the real `lossy adapters export` (the Rust side runs the same fixtures in
# api/src/platforms/tests.rs). check.mjs first checks the fixture file's shape; then the
# extension's Vitest fixture test runs with LOSSY_ADAPTER_MANIFEST naming the fresh export
# (without it, that test uses the extension's embedded copy). Builds the server binary unless
# LOSSY_BIN names one; installs the extension's npm packages when missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node and npm are required for the platform adapter check" >&2
  exit 1
fi
. "$repo_root/scripts/lossy-bin.sh"

manifest="$(mktemp --suffix=.json)"
trap 'rm -f "$manifest"' EXIT
"$LOSSY_BIN" adapters export >"$manifest"
node "$here/check.mjs" "$manifest" "$repo_root/tests/fixtures/platform_urls.json"

. "$repo_root/scripts/frontends.sh"
npm_deps
cd "$repo_root/extension"
LOSSY_ADAPTER_MANIFEST="$manifest" npx vitest run src/platforms/fixtures.test.ts
