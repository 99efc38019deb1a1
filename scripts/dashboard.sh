# Sourced by scripts that need the web app (scripts/serve, scripts/test). Needs `repo_root` set.
#   npm_deps DIR:    `npm ci` in DIR when node_modules is missing or package-lock.json changed;
#   dashboard_deps:  npm_deps for dashboard/;
#   dashboard_build: `npm run build` when dashboard/dist is missing or any of its sources
#                    changed since the last build.

dashboard_dir="$repo_root/dashboard"

dashboard_require_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "Node.js 20.19 or newer and npm are needed to build the web app (dashboard/)" >&2
    return 1
  fi
}

# `npm ci` in the package folder $1 when node_modules is missing or its lock file changed.
npm_deps() {
  dashboard_require_node
  local dir="$1" stamp="$1/node_modules/.lossy-lock.sha256" sum
  sum="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
    echo "==> npm ci (${dir#"$repo_root"/})"
    (cd "$dir" && npm ci --no-audit --no-fund)
    echo "$sum" >"$stamp"
  fi
}

dashboard_deps() {
  npm_deps "$dashboard_dir"
}

# A digest of everything the build reads.
dashboard_sources_sum() {
  (cd "$dashboard_dir" &&
    find src public index.html graphiql.html vite.config.ts tsconfig.json package-lock.json \
      -type f -print0 2>/dev/null | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

dashboard_build() {
  dashboard_deps
  local stamp="$dashboard_dir/node_modules/.lossy-build.sha256" sum
  sum="$(dashboard_sources_sum)"
  if [ ! -f "$dashboard_dir/dist/index.html" ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
    echo "==> building the web app (dashboard/dist)"
    (cd "$dashboard_dir" && npm run --silent build)
    echo "$sum" >"$stamp"
  fi
}
