#!/usr/bin/env bash
# Every load run of docs/performance.md, on SQLite and (when PLUMB_PERF_POSTGRES_URL is set) on
# PostgreSQL, printed as the table the doc shows. wrk on loopback against a release build; each
# backend gets a fresh database, a small seeded fleet for the show routes and a 100,000-device
# fleet for the device lists.
#
#   cargo build --release -p plumb-cli
#   PLUMB_PERF_POSTGRES_URL=postgres://plumb:plumb@127.0.0.1:5432/plumb_perf \
#     scripts/perf.sh [plumb binary] [seconds per run] [connections] [fleet size]
#
# PLUMB_PERF_POSTGRES_URL names an existing database the script may wipe (its `public` schema is
# dropped and created again before each use). Needs wrk, curl, jq, python3 (and psql for
# PostgreSQL). Stops every server it started; talks only to 127.0.0.1.
set -euo pipefail

plumb=${1:-${CARGO_TARGET_DIR:-target}/release/plumb}
seconds=${2:-10}
connections=${3:-32}
fleet=${4:-100000}
port=18090
base="http://127.0.0.1:$port"
work=$(mktemp -d)
server=""
results="$work/results"
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

# Runs wrk and appends "backend|label|requests/s|p50|p99" to the results.
measure() {
  local backend=$1 label=$2 path=$3 key=${4:-}
  local out
  if [ -n "$key" ]; then
    out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "authorization: $key" "$base$path")
  else
    out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$base$path")
  fi
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  errors=$(awk '/Non-2xx or 3xx responses/ { print $5 }' <<<"$out")
  if [ -n "$errors" ]; then
    echo "error: $label answered $errors non-2xx responses" >&2
    exit 1
  fi
  echo "$backend|$label|$rps|$p50|$p99" >>"$results"
  echo "  $label: $rps req/s, p50 $p50, p99 $p99" >&2
}

# Starts a server on a fresh data directory (and database), seeds `count` devices, and
# exports KEY and ORG.
start() {
  local backend=$1 count=$2
  data="$work/$backend-$count"
  mkdir -p "$data"
  if [ "$backend" = postgres ]; then
    psql -q "$PLUMB_PERF_POSTGRES_URL" -c 'drop schema if exists public cascade' -c 'create schema public'
    export PLUMB_DATABASE_URL=$PLUMB_PERF_POSTGRES_URL
  else
    unset PLUMB_DATABASE_URL
  fi
  ORG=$(echo 'perf test password' | "$plumb" init --org-name "Perf MSP" --email perf@example.com \
    --password-stdin --data-dir "$data" | sed -nE 's/.*\(([0-9a-f-]{36})\).*/\1/p')
  if [ "$count" -gt 0 ]; then
    "$plumb" dev seed --org "$ORG" --devices "$count" --online 100 --data-dir "$data" >/dev/null
  fi
  RUST_LOG=warn "$plumb" serve --listen "127.0.0.1:$port" --data-dir "$data" >/dev/null &
  server=$!
  for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done
  local cookies="$data/cookies" csrf
  csrf=$(curl -fs -c "$cookies" -H 'content-type: application/json' \
    -d '{"email":"perf@example.com","password":"perf test password"}' "$base/api/v1/session" | jq -r .csrf_token)
  KEY=$(curl -fs -b "$cookies" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
    -d '{"description":"perf","access":"read_only"}' "$base/api/v1/api-keys" | jq -r .key)
}

stop() {
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=""
}

# The id of the first item of a /v2 list.
first_id() {
  curl -fs -H "authorization: $KEY" "$base$1" | jq -r '.data[0].id'
}

run_backend() {
  local backend=$1
  echo "== $backend: show routes (100 devices)" >&2
  start "$backend" 100
  local group device tag alert
  group=$(first_id "/v2/groups?limit=1")
  device=$(first_id "/v2/devices?limit=1")
  tag=$(first_id "/v2/tags?limit=1")
  alert=$(first_id "/v2/alerts?limit=1")
  measure "$backend" "GET /healthz" "/healthz"
  measure "$backend" "GET /readyz" "/readyz"
  measure "$backend" "GET /v2/groups/{id}" "/v2/groups/$group" "$KEY"
  measure "$backend" "GET /v2/groups" "/v2/groups" "$KEY"
  measure "$backend" "GET /v2/devices/{id}" "/v2/devices/$device" "$KEY"
  measure "$backend" "GET /v2/tags/{id}" "/v2/tags/$tag" "$KEY"
  measure "$backend" "GET /v2/alerts/{id}" "/v2/alerts/$alert" "$KEY"
  stop

  echo "== $backend: device lists ($fleet devices)" >&2
  start "$backend" "$fleet"
  local deep includes
  deep=$(curl -fs -H "authorization: $KEY" "$base/v2/devices?limit=1&ending_before=ffffffff-ffff-7fff-bfff-ffffffffffff" | jq -r '.data[0].id')
  includes="include_operating_system=true&include_cpus=true&include_memory=true&include_disks=true&include_disk_partitions=true&include_network_interfaces=true&include_motherboard=true&include_security=true"
  measure "$backend" "GET /v2/devices?limit=100" "/v2/devices?limit=100" "$KEY"
  measure "$backend" "GET /v2/devices?limit=100, every include" "/v2/devices?limit=100&$includes" "$KEY"
  measure "$backend" "GET /v2/devices?limit=100, last page" "/v2/devices?limit=100&ending_before=$deep" "$KEY"
  stop
}

run_backend sqlite
if [ -n "${PLUMB_PERF_POSTGRES_URL:-}" ]; then
  run_backend postgres
fi

# The table: each figure with its share of /healthz on the same backend.
python3 - "$results" "$fleet" <<'PY'
import sys
rows = [line.rstrip("\n").split("|") for line in open(sys.argv[1])]
healthz = {backend: float(rps) for backend, label, rps, _, _ in rows if label == "GET /healthz"}
print("| Backend | Request | Requests/s | ÷ /healthz | p50 | p99 |")
print("|---|---|---|---|---|---|")
for backend, label, rps, p50, p99 in rows:
    share = float(rps) / healthz[backend]
    fleet = f" ({int(sys.argv[2]):,} devices)" if "limit=100" in label else ""
    print(f"| {backend} | {label}{fleet} | {float(rps):,.0f} | {share:.2f} | {p50} | {p99} |")
PY
