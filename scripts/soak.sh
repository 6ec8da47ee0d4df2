#!/usr/bin/env bash
# Soak run for docs/performance.md (not CI): starts plumb on a temporary data directory on
# 127.0.0.1:18081, then runs scripts/soak.py against it (mixed reads, writes, a key regeneration
# every 10 s, a sign-in now and then) and prints errors, p50/p99 and the server's RSS at the
# start, after warm-up, at the end and 10 s after. Stops the server and cleans up by itself.
#
#   scripts/soak.sh [plumb binary] [minutes] [workers]
#
# PLUMB_SOAK_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 runs the server under another
# allocator (measurement only); PLUMB_SOAK_LOG=FILE keeps the server's standard error (e.g. with
# _RJEM_MALLOC_CONF=stats_print:true, jemalloc's statistics at exit).
set -euo pipefail

plumb=${1:-${CARGO_TARGET_DIR:-target}/release/plumb}
minutes=${2:-10}
workers=${3:-4}
port=18081
data=$(mktemp -d)
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$data"' EXIT

echo 'soak test password' | "$plumb" init --org-name "Soak MSP" --email soak@example.com \
  --password-stdin --data-dir "$data" >/dev/null
RUST_LOG=warn LD_PRELOAD="${PLUMB_SOAK_PRELOAD:-}" \
  "$plumb" serve --listen "127.0.0.1:$port" --data-dir "$data" >/dev/null 2>"${PLUMB_SOAK_LOG:-/dev/null}" &
server=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

python3 "$(dirname "$0")/soak.py" --url "http://127.0.0.1:$port" --pid "$server" \
  --email soak@example.com --password 'soak test password' --minutes "$minutes" --workers "$workers" \
  --data-dir "$data"
