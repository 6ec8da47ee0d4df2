#!/usr/bin/env bash
# Load runs for docs/performance.md on a large demo fleet: GET /v2/devices?limit=100 with and
# without every include flag, and the first page against a page past 99 % of the list.
#
#   scripts/load-devices.sh [plumb binary] [devices] [seconds] [connections]
#
# Creates a temporary data directory (SQLite) or uses PLUMB_DATABASE_URL (an existing, empty
# PostgreSQL database), runs `plumb init` and `plumb dev seed --devices N`, starts `plumb serve`,
# creates a read-only key, finds the id at 99 % of the device list, runs wrk on each URL, and
# stops the server. Needs wrk, curl, jq and python3.
set -euo pipefail

plumb=${1:-${CARGO_TARGET_DIR:-target}/release/plumb}
devices=${2:-100000}
seconds=${3:-15}
connections=${4:-16}
port=18081
base="http://127.0.0.1:$port"
data=${PLUMB_LOAD_DATA_DIR:-$(mktemp -d)}
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; [ -z "${PLUMB_LOAD_DATA_DIR:-}" ] && rm -rf "$data"' EXIT

echo "== database: ${PLUMB_DATABASE_URL:-sqlite in $data}" | sed -E 's#(://[^:/@]+):[^@]*@#\1:****@#'
if [ ! -e "$data/seeded" ]; then
  org=$(echo 'load test password' | "$plumb" init --org-name "Load MSP" --email load@example.com \
    --password-stdin --data-dir "$data" | sed -nE 's/.*\(([0-9a-f-]{36})\).*/\1/p')
  echo "== seeding $devices devices into $org"
  /usr/bin/time -f "seeded in %e s (max RSS %M KiB)" \
    "$plumb" dev seed --org "$org" --devices "$devices" --online 1000 --data-dir "$data"
  touch "$data/seeded"
fi
RUST_LOG=warn "$plumb" serve --listen "127.0.0.1:$port" --data-dir "$data" >/dev/null &
server=$!
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done

cookies="$data/cookies"
csrf=$(curl -fs -c "$cookies" -H 'content-type: application/json' \
  -d '{"email":"load@example.com","password":"load test password"}' "$base/api/v1/session" | jq -r .csrf_token)
key=$(curl -fs -b "$cookies" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
  -d '{"description":"device load test","access":"read_only"}' "$base/api/v1/api-keys" | jq -r .key)

# The id at 99 % of the list, read from the database file (measurement tooling only).
if [ -z "${PLUMB_DATABASE_URL:-}" ]; then
  deep=$(python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute('select id from devices order by id limit 1 offset ?', (int(sys.argv[2])*99//100,)).fetchone()[0])" "$data/plumb.db" "$devices")
else
  deep=$(psql "$PLUMB_DATABASE_URL" -Atc "select id from devices order by id limit 1 offset $((devices * 99 / 100))")
fi
includes="include_operating_system=true&include_cpus=true&include_memory=true&include_disks=true&include_disk_partitions=true&include_network_interfaces=true&include_motherboard=true&include_security=true"

run() {
  echo "== $1"
  curl -fs -o /dev/null -w "one response: %{size_download} bytes\n" -H "authorization: $key" "$base$2"
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "authorization: $key" "$base$2"
}
run "GET /v2/devices?limit=100 (first page, no includes)" "/v2/devices?limit=100"
run "GET /v2/devices?limit=100 (first page, every include)" "/v2/devices?limit=100&$includes"
run "GET /v2/devices?limit=100 (page past 99 %, no includes)" "/v2/devices?limit=100&starting_after=$deep"
run "GET /v2/devices?limit=100 (page past 99 %, every include)" "/v2/devices?limit=100&starting_after=$deep&$includes"
