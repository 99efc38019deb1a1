#!/usr/bin/env bash
# The end-to-end test: the real graphql-ws npm client against a real `lossy serve`.
# Builds the server binary (unless LOSSY_BIN names one), installs the pinned npm packages
# when node_modules is missing or package-lock.json changed, then runs `node --test`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"

if ! command -v node >/dev/null 2>&1 || ! node --version >/dev/null 2>&1; then
  echo "node is required for the e2e tests" >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is required for the e2e tests" >&2
  exit 1
fi

. "$repo_root/scripts/lossy-bin.sh"

cd "$here"
stamp="node_modules/.lossy-e2e-lock.sha256"
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  echo "==> npm ci (tests/e2e)"
  npm ci --no-audit --no-fund
  echo "$lock_sum" >"$stamp"
fi

echo "==> node --test (tests/e2e, $(node --version), server $LOSSY_BIN)"
exec node --test --test-reporter=spec --test-timeout=60000 graphql-ws.test.mjs
