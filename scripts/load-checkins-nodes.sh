#!/usr/bin/env bash
# Check-in load on one PostgreSQL database through one or two `plumb serve` nodes, with the CPU
# seconds each process used, for docs/scaling.md:
#
#   PLUMB_DATABASE_URL=postgres://... scripts/load-checkins-nodes.sh [plumb binary] [nodes] [devices per node] [seconds]
#
# The database must exist and be empty. Runs `plumb init` once, starts the nodes on ports
# 18083 and 18084, creates one install key, and runs one `plumb dev checkin-load` per node at
# once (its devices enroll through that node). The nodes share the data directory (the master
# key). Prints each tool's JSON line, their sum, and the
# CPU seconds of the nodes and of PostgreSQL's processes during the measurement (from /proc).
set -euo pipefail

plumb=${1:-${CARGO_TARGET_DIR:-target}/release/plumb}
nodes=${2:-2}
devices=${3:-200}
seconds=${4:-20}
: "${PLUMB_DATABASE_URL:?an empty PostgreSQL database}"
data=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$data"' EXIT

echo 'load test password' | "$plumb" init --org-name "Load MSP" --email load@example.com \
  --password-stdin --data-dir "$data" --database-url "$PLUMB_DATABASE_URL" >/dev/null
for n in $(seq 1 "$nodes"); do
  RUST_LOG=warn "$plumb" serve --listen "127.0.0.1:$((18082 + n))" --data-dir "$data" \
    --database-url "$PLUMB_DATABASE_URL" >/dev/null 2>&1 &
  pids+=($!)
done
for n in $(seq 1 "$nodes"); do
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$((18082 + n))/healthz" >/dev/null && break; sleep 0.1; done
done
base="http://127.0.0.1:18083"
csrf=$(curl -fs -c "$data/cookies" -H 'content-type: application/json' \
  -d '{"email":"load@example.com","password":"load test password"}' "$base/api/v1/session" | jq -r .csrf_token)
key=$(curl -fs -b "$data/cookies" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
  -d '{}' "$base/api/v1/install-keys" | jq -r .key)

cpu() { # utime + stime in clock ticks of the given pids
  local total=0
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "$total"
}
postgres_pids() { pgrep -u postgres -d ' ' postgres || true; }
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
tools=()
for n in $(seq 1 "$nodes"); do
  "$plumb" dev checkin-load --server "http://127.0.0.1:$((18082 + n))" --install-key "$key" \
    --devices "$devices" --seconds "$seconds" --seed "$n" > "$data/tool$n" &
  tools+=($!)
done
# Enrollment first: measure CPU once every tool has started checking in (a fixed settle time).
sleep 8
node_cpu0=$(cpu "${pids[@]}"); pg_cpu0=$(cpu $(postgres_pids))
sleep $((seconds - 4))
node_cpu1=$(cpu "${pids[@]}"); pg_cpu1=$(cpu $(postgres_pids))
wait "${tools[@]}"
cat "$data"/tool*
jq -s '{checkins_per_second: (map(.checkins_per_second) | add), p99_ms: (map(.p99_ms) | max), errors: (map(.errors) | add), devices: (map(.devices) | add)}' -c "$data"/tool*
ticks=$(getconf CLK_TCK)
echo "== over $((seconds - 4)) s: nodes $(( (node_cpu1 - node_cpu0) / ticks )) CPU s, postgres $(( (pg_cpu1 - pg_cpu0) / ticks )) CPU s (ticks: nodes $((node_cpu1 - node_cpu0)), postgres $((pg_cpu1 - pg_cpu0)), $ticks/s)"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
