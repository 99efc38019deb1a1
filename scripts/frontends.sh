# Sourced by scripts that need the front ends built (scripts/serve, scripts/test,
# tests/e2e/run.sh, tests/adapters/run.sh). Needs `repo_root` set. The front ends are one npm
# workspace (the root package.json: common/, dashboard/, extension/) with one package-lock.json.
#   npm_deps:          `npm ci` at the root when node_modules is missing or package-lock.json
#                      changed;
#   npm_build DIR:     `npm run build` in DIR when its dist/ is missing or any of its sources or
#                      the shared code's (common/) changed since the last build (a digest kept
#                      in node_modules);
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
  local stamp="$repo_root/node_modules/.lossy-lock.sha256" sum
  sum="$(sha256sum "$repo_root/package-lock.json" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
    echo "==> npm ci (the front-end workspace: common, dashboard, extension)"
    # onnxruntime-node (pulled in by transformers.js, unused in a browser) would download
    # binaries from outside in its install script: never.
    (cd "$repo_root" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund)
    echo "$sum" >"$stamp"
  fi
}

# A digest of every file the build reads: the package's own files and the shared ones, less
# outputs.
sources_sum() {
  (cd "$repo_root" &&
    find "${1#"$repo_root"/}" common \( -name node_modules -o -name dist \) -prune -o -type f -print0 |
    sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

npm_build() {
  local dir="$1" stamp sum
  stamp="$repo_root/node_modules/.lossy-build-$(basename "$dir").sha256"
  npm_deps
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
