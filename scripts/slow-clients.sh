#!/usr/bin/env bash
# Slow-client run for docs/performance.md (not CI): starts plumb on 127.0.0.1:18082 with the
# default [http] limits, measures GET /healthz with wrk while idle, then opens N slow
# connections of one kind (scripts/slow-clients.py) and measures /healthz again while they are
# held, and reports when the server closed them. Needs wrk and python3.
#
#   scripts/slow-clients.sh [plumb binary] [connections] [kind: silent|partial|headers|body|idle]
set -euo pipefail

plumb=${1:-${CARGO_TARGET_DIR:-target}/release/plumb}
connections=${2:-1000}
kind=${3:-headers}
port=18082
base="http://127.0.0.1:$port"
data=$(mktemp -d)
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$data"' EXIT
ulimit -n 65536 2>/dev/null || true

echo 'slow clients password' | "$plumb" init --org-name "Slow MSP" --email slow@example.com \
  --password-stdin --data-dir "$data" >/dev/null
RUST_LOG=warn "$plumb" serve --listen "127.0.0.1:$port" --data-dir "$data" >/dev/null &
server=$!
for _ in $(seq 50); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done

echo "== GET /healthz, idle"
wrk -t1 -c8 -d8s --latency "$base/healthz" | grep -E "Latency|50%|90%|99%|Requests/sec"
python3 "$(dirname "$0")/slow-clients.py" --port "$port" --connections "$connections" \
  --kind "$kind" > "$data/slow.json" &
slow=$!
sleep 2
echo "== GET /healthz, with $connections slow connections ($kind) held"
wrk -t1 -c8 -d6s --latency "$base/healthz" | grep -E "Latency|50%|90%|99%|Requests/sec"
echo "== open connections at the server: $(ls /proc/$server/fd | wc -l) file descriptors"
wait "$slow"
echo "== the slow connections"
cat "$data/slow.json"
