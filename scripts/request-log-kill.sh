#!/usr/bin/env bash
# How much of the API key request log a SIGKILL loses (docs/performance.md, "API key rules"):
# starts `plumb serve` on a temporary SQLite directory, runs wrk with one key for a few seconds,
# kills the server with SIGKILL the moment wrk ends, and compares the requests wrk saw answered
# with the requests the log holds (each row holds one write's requests of one key). Repeats `rounds` times. Needs wrk, curl, jq and sqlite3.
#
#   scripts/request-log-kill.sh [plumb binary] [seconds] [rounds]
set -euo pipefail

plumb=${1:-${CARGO_TARGET_DIR:-target}/release/plumb}
seconds=${2:-5}
rounds=${3:-3}
port=18082
base="http://127.0.0.1:$port"

for round in $(seq "$rounds"); do
  data=$(mktemp -d)
  echo 'load test password' | "$plumb" init --org-name "Kill MSP" --email kill@example.com --password-stdin --data-dir "$data" >/dev/null
  RUST_LOG=warn "$plumb" serve --listen "127.0.0.1:$port" --data-dir "$data" >/dev/null &
  server=$!
  for _ in $(seq 50); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done
  csrf=$(curl -fs -c "$data/cookies" -H 'content-type: application/json' \
    -d '{"email":"kill@example.com","password":"load test password"}' "$base/api/v1/session" | jq -r .csrf_token)
  key=$(curl -fs -b "$data/cookies" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
    -d '{"description":"killed","access":"read_only"}' "$base/api/v1/api-keys" | jq -r .key)
  answered=$(wrk -t2 -c16 -d"${seconds}s" -H "authorization: $key" "$base/v2/groups" \
    | awk '/requests in/ {print $1}')
  kill -9 "$server"
  wait "$server" 2>/dev/null || true
  logged=$(sqlite3 "$data/plumb.db" 'select coalesce(sum(requests), 0) from api_key_requests')
  lost=$((answered - logged))
  rate=$((answered / seconds))
  echo "round $round: answered $answered, logged $logged, lost $lost (about $(awk "BEGIN {printf \"%.2f\", $lost / $rate}") s of traffic at $rate req/s)"
  rm -rf "$data"
done
