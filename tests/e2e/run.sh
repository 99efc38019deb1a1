#!/usr/bin/env bash
# The end-to-end tests against a real `lossy serve`:
#   1. the graphql-ws npm client (graphql-ws.test.mjs, node --test);
#   2. the browser tests (*.spec.ts, Playwright driving Debian's Chromium) of the web app.
# Builds the server binary (unless LOSSY_BIN names one), the web app and the extension when stale, installs
# Chromium and ffmpeg with apt when missing, and the pinned npm packages when node_modules is
# missing or package-lock.json changed. Arguments go to `playwright test` (e.g. a spec file).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node and npm are required for the e2e tests" >&2
  exit 1
fi

. "$repo_root/scripts/frontends.sh"
dashboard_build
extension_build
. "$repo_root/scripts/lossy-bin.sh"
# The admin console's specs generate traffic with the load generator, built next to the server.
if [ -z "${LOSSY_LOAD_BIN:-}" ]; then
  (cd "$repo_root" && cargo build --locked --bin lossy-load)
  export LOSSY_LOAD_BIN="$(dirname "$LOSSY_BIN")/lossy-load"
fi
"$repo_root/scripts/ensure-debian-packages.sh"

cd "$here"
stamp="node_modules/.lossy-e2e-lock.sha256"
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  echo "==> npm ci (tests/e2e)"
  # Playwright drives /usr/bin/chromium; it must never fetch a browser of its own.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
  echo "$lock_sum" >"$stamp"
fi

echo "==> tsc (tests/e2e: the rig and the specs)"
npx tsc -p tsconfig.json

if [ $# -eq 0 ]; then
  echo "==> node --test (tests/e2e, $(node --version), server $LOSSY_BIN)"
  node --test --test-reporter=spec --test-timeout=60000 graphql-ws.test.mjs
fi

# The speech specs' recogniser: made (or found up to date) here, never inside a test's timeout.
LOSSY_SPEECH_PYTHON="$("$repo_root/scripts/speech-env.sh")"
export LOSSY_SPEECH_PYTHON

echo "==> playwright test (tests/e2e, $(/usr/bin/chromium --version 2>/dev/null || echo chromium))"
# The speech project waits for the browser project only so the two never share the cores
# (playwright.config.ts); a run of chosen specs has no such order to keep.
if [ $# -gt 0 ]; then
  exec npx playwright test --no-deps "$@"
fi
exec npx playwright test
