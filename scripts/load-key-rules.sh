#!/usr/bin/env bash
# Load run for docs/performance.md ("API key rules"): authenticated GET /v2/groups/{id} with wrk
# on loopback, once per key:
#
#   plain     no expiry, no address list, no rate limit (the request log is always on)
#   rules     an expiry, a one-entry address list holding 127.0.0.1 and a rate limit
#   hundred   the same with a 100-entry address list (99 ranges that do not match, then 127.0.0.1)
#
# With `baseline` as the fourth argument only `plain` runs: for a binary built before the key
# rules existed (no request log, no address check, no rate limiter), the "all off" run. With
# `all-on` only `rules` runs, on a fresh server like `baseline`'s (so neither run follows
# others on the same database).
#
# After each run it prints the server's CPU time (user + system, from /proc) per request, which
# the other processes of a shared machine disturb far less than requests per second.
#
#   scripts/load-key-rules.sh [plumb binary] [seconds] [connections] [rules|baseline]
set -euo pipefail

plumb=${1:-${CARGO_TARGET_DIR:-target}/release/plumb}
seconds=${2:-15}
connections=${3:-32}
mode=${4:-rules}
port=18081
base="http://127.0.0.1:$port"
data=$(mktemp -d)
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$data"' EXIT

echo 'load test password' | "$plumb" init --org-name "Load MSP" --email load@example.com --password-stdin --data-dir "$data" >/dev/null
RUST_LOG=warn "$plumb" serve --listen "127.0.0.1:$port" --data-dir "$data" >/dev/null &
server=$!
for _ in $(seq 50); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done

cookies="$data/cookies"
csrf=$(curl -fs -c "$cookies" -H 'content-type: application/json' \
  -d '{"email":"load@example.com","password":"load test password"}' "$base/api/v1/session" | jq -r .csrf_token)
create() {
  curl -fs -b "$cookies" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
    -d "$1" "$base/api/v1/api-keys" | jq -r .key
}
writer=$(create '{"description":"load test writer","access":"read_write"}')
group=$(curl -fs -H "authorization: $writer" -H 'content-type: application/json' \
  -d '{"name":"Load group"}' "$base/v2/groups" | jq -r .id)

# The server's CPU time (user + system, in clock ticks) so far.
cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }

run() {
  local name=$1 key=$2 before after output requests
  curl -fs -H "authorization: $key" "$base/v2/groups/$group" >/dev/null
  echo "== $name: GET /v2/groups/{id}"
  before=$(cpu)
  output=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "authorization: $key" "$base/v2/groups/$group")
  # One more second, so the request log's last batch is written (and counted) too.
  sleep 1.2
  after=$(cpu)
  echo "$output"
  requests=$(echo "$output" | awk '/requests in/ {print $1}')
  awk -v ticks=$((after - before)) -v n="$requests" -v hz="$(getconf CLK_TCK)" \
    'BEGIN {printf "server CPU per request: %.1f us\n", ticks / hz * 1e6 / n}'
}

limits='"expires_at":"2999-01-01T00:00:00Z","rate_limit_per_minute":1000000'
rules() {
  run rules "$(create "{\"description\":\"rules\",\"access\":\"read_only\",$limits,\"allowed_ips\":[\"127.0.0.1\"]}")"
}
if [ "$mode" = all-on ]; then
  rules
  exit 0
fi
run plain "$(create '{"description":"plain","access":"read_only"}')"
if [ "$mode" = rules ]; then
  rules
  hundred=$(for n in $(seq 0 98); do printf '"10.%d.0.0/16",' "$n"; done)
  run hundred "$(create "{\"description\":\"hundred\",\"access\":\"read_only\",$limits,\"allowed_ips\":[${hundred}\"127.0.0.1\"]}")"
fi
