# Sourced by .ci/run and scripts/bench-nodes: run a command as the postgres user, and make sure
# PostgreSQL is installed (when this is a Debian machine and we are root) and running.

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

start_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "==> installing PostgreSQL"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
      echo "==> PostgreSQL is not installed and cannot be installed here; skipping its run"
      return 1
    fi
  fi
  if command -v pg_lsclusters >/dev/null 2>&1; then
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
      echo "==> starting PostgreSQL $version"
      pg_ctlcluster --skip-systemctl-redirect "$version" main start
    fi
  fi
  for _ in $(seq 1 50); do
    as_postgres psql -qAtc 'SELECT 1' >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "==> PostgreSQL did not come up"
  return 1
}
