# Makes a local PostgreSQL available to the tests, idempotently, then exports
# PLUMB_TEST_POSTGRES_URL and PLUMB_TEST_REQUIRE_POSTGRES=1 (so no PostgreSQL test can be
# skipped). Sourced by .ci/run; a developer can source it too (CONTRIBUTING.md).
#
# Installs Debian's `postgresql` if pg_ctlcluster or psql is missing, starts the newest
# installed version's `main` cluster if it is down, and creates the role `plumb` (password
# `plumb`, no superuser) and the database `plumb_test` it owns, if they do not exist.

plumb_pg_sudo=""
if [ "$(id -u)" -ne 0 ]; then plumb_pg_sudo="sudo"; fi

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! command -v psql >/dev/null 2>&1; then
  echo "== installing postgresql (apt-get)"
  $plumb_pg_sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $plumb_pg_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql
fi

plumb_pg_version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk -v v="$plumb_pg_version" '$1 == v && $2 == "main"' | grep -q .; then
  $plumb_pg_sudo pg_createcluster "$plumb_pg_version" main
fi
if ! pg_lsclusters -h | awk -v v="$plumb_pg_version" '$1 == v && $2 == "main" && $4 ~ /^online/' | grep -q .; then
  echo "== starting the postgresql $plumb_pg_version main cluster"
  $plumb_pg_sudo pg_ctlcluster "$plumb_pg_version" main start
fi
plumb_pg_port=$(pg_lsclusters -h | awk -v v="$plumb_pg_version" '$1 == v && $2 == "main" { print $3 }')

# Runs a command as the postgres superuser (root uses runuser; others sudo).
plumb_as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}
for _ in $(seq 50); do
  plumb_as_postgres psql -p "$plumb_pg_port" -qAtc "select 1" >/dev/null 2>&1 && break
  sleep 0.2
done
if [ "$(plumb_as_postgres psql -p "$plumb_pg_port" -qAtc "select 1 from pg_roles where rolname = 'plumb'")" != "1" ]; then
  plumb_as_postgres psql -p "$plumb_pg_port" -qc "create role plumb login password 'plumb'"
fi
if [ "$(plumb_as_postgres psql -p "$plumb_pg_port" -qAtc "select 1 from pg_database where datname = 'plumb_test'")" != "1" ]; then
  plumb_as_postgres createdb -p "$plumb_pg_port" -O plumb plumb_test
fi

export PLUMB_TEST_POSTGRES_URL="postgres://plumb:plumb@127.0.0.1:${plumb_pg_port}/plumb_test"
export PLUMB_TEST_REQUIRE_POSTGRES=1
echo "== postgresql $plumb_pg_version on port $plumb_pg_port: PLUMB_TEST_POSTGRES_URL=$PLUMB_TEST_POSTGRES_URL"
