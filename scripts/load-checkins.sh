#!/usr/bin/env bash
# Check-in load runs for docs/performance.md: `plumb dev checkin-load` against a fresh server.
#
#   scripts/load-checkins.sh [plumb binary] [devices] [seconds] [changed share] [rate]
#
# Creates a temporary data directory (SQLite) or uses PLUMB_DATABASE_URL (an existing, empty
# PostgreSQL database), runs `plumb init`, starts `plumb serve`, creates an install key, runs
# the load tool (which enrolls the devices first) and stops the server. Prints the machine's
# load average before and after, and the tool's JSON line. Needs curl and jq.
set -euo pipefail

plumb=${1:-${CARGO_TARGET_DIR:-target}/release/plumb}
devices=${2:-500}
seconds=${3:-20}
changed=${4:-0}
rate=${5:-}
port=${PLUMB_LOAD_PORT:-18082}
base="http://127.0.0.1:$port"
data=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT

store_args=(--data-dir "$data")
[ -n "${PLUMB_DATABASE_URL:-}" ] && store_args+=(--database-url "$PLUMB_DATABASE_URL")
echo 'load test password' | "$plumb" init --org-name "Load MSP" --email load@example.com \
  --password-stdin "${store_args[@]}" >/dev/null
RUST_LOG=warn "$plumb" serve --listen "127.0.0.1:$port" "${store_args[@]}" >/dev/null 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done

cookies="$data/cookies"
csrf=$(curl -fs -c "$cookies" -H 'content-type: application/json' \
  -d '{"email":"load@example.com","password":"load test password"}' "$base/api/v1/session" | jq -r .csrf_token)
key=$(curl -fs -b "$cookies" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
  -d '{}' "$base/api/v1/install-keys" | jq -r .key)

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$plumb" dev checkin-load --server "$base" --install-key "$key" --devices "$devices" \
  --seconds "$seconds" --changed-share "$changed" ${rate:+--rate "$rate"}
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
