# Sourced by scripts that need the front ends built (scripts/serve, scripts/test,
# tests/e2e/run.sh). Needs `repo_root` set.
#   npm_deps DIR:      `npm ci` in DIR when node_modules is missing or package-lock.json changed;
#   npm_build DIR:     `npm run build` in DIR when its dist/ is missing or any of its sources
#                      changed since the last build (a digest kept in node_modules);
#   dashboard_build:   npm_build for the web app (dashboard/, which the server embeds);
#   extension_build:   npm_build for the extension (extension/, loaded unpacked by the tests).

require_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "Node.js 20.19 or newer and npm are needed to build the front ends" >&2
    return 1
  fi
}

npm_deps() {
  require_node
  local dir="$1" stamp="$1/node_modules/.lossy-lock.sha256" sum
  sum="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
    echo "==> npm ci (${dir#"$repo_root"/})"
    (cd "$dir" && npm ci --no-audit --no-fund)
    echo "$sum" >"$stamp"
  fi
}

# A digest of every file the build reads: the package's own files, less its outputs.
sources_sum() {
  (cd "$1" &&
    find . \( -path ./node_modules -o -path ./dist \) -prune -o -type f -print0 |
    sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

npm_build() {
  local dir="$1" stamp="$1/node_modules/.lossy-build.sha256" sum
  npm_deps "$dir"
  sum="$(sources_sum "$dir")"
  if [ ! -f "$dir/dist/index.html" ] && [ ! -f "$dir/dist/manifest.json" ] ||
    [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
    echo "==> building ${dir#"$repo_root"/} (dist/)"
    (cd "$dir" && npm run --silent build)
    echo "$sum" >"$stamp"
  fi
}

dashboard_build() {
  npm_build "$repo_root/dashboard"
}

extension_build() {
  npm_build "$repo_root/extension"
}
