#!/usr/bin/env bash
# Load run for docs/performance.md: authenticated GET /v2/groups/{id} against GET /healthz on the
# same server, with wrk on loopback. Starts its own server on a temporary data directory, creates
# an organization, a key and a group, runs both loads and stops the server. Needs wrk and curl.
#
#   scripts/load-v2.sh [plumb binary] [seconds] [connections]
#
# The database is the temporary directory's SQLite file, or the one PLUMB_DATABASE_URL names
# (e.g. postgres://plumb:plumb@127.0.0.1:5432/plumb_load), which must exist and be empty:
# `plumb init` and `plumb serve` read the variable like any other setting.
set -euo pipefail

plumb=${1:-${CARGO_TARGET_DIR:-target}/release/plumb}
seconds=${2:-15}
connections=${3:-32}
port=18080
base="http://127.0.0.1:$port"
data=$(mktemp -d)
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$data"' EXIT

echo "== database: ${PLUMB_DATABASE_URL:-sqlite in $data}" | sed -E 's#(://[^:/@]+):[^@]*@#\1:****@#'
echo 'load test password' | "$plumb" init --org-name "Load MSP" --email load@example.com --password-stdin --data-dir "$data" >/dev/null
RUST_LOG=warn "$plumb" serve --listen "127.0.0.1:$port" --data-dir "$data" >/dev/null &
server=$!
for _ in $(seq 50); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done

cookies="$data/cookies"
csrf=$(curl -fs -c "$cookies" -H 'content-type: application/json' \
  -d '{"email":"load@example.com","password":"load test password"}' "$base/api/v1/session" | jq -r .csrf_token)
key=$(curl -fs -b "$cookies" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
  -d '{"description":"load test","access":"read_only"}' "$base/api/v1/api-keys" | jq -r .key)
writer=$(curl -fs -b "$cookies" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
  -d '{"description":"load test writer","access":"read_write"}' "$base/api/v1/api-keys" | jq -r .key)
group=$(curl -fs -H "authorization: $writer" -H 'content-type: application/json' \
  -d '{"name":"Load group"}' "$base/v2/groups" | jq -r .id)
curl -fs -H "authorization: $key" "$base/v2/groups/$group" >/dev/null

echo "== GET /healthz"
wrk -t2 -c"$connections" -d"${seconds}s" --latency "$base/healthz"
echo "== GET /v2/groups/{id} with a key"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "authorization: $key" "$base/v2/groups/$group"
