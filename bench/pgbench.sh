#!/usr/bin/env bash
# pgbench against sluice (a separate process, built from this tree) and the
# local PostgreSQL, side by side, for a trivial query in the three protocol
# modes. Prints TPS, mean latency and failed transactions for each.
#
#   bench/pgbench.sh [seconds=10] [clients=4]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
clients="${2:-4}"
port="${SLUICE_BENCH_PORT:-55433}"
tmp="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/sluice" ./cmd/sluice
"$tmp/sluice" serve --listen "127.0.0.1:$port" --http "" --data-dir "$tmp/data" --log-level warn &
pid=$!
for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 0.1; done
echo "SELECT 1;" > "$tmp/q.sql"
printf "%-8s %-9s %12s %12s %8s\n" target mode tps latency_ms failed
for mode in simple extended prepared; do
  for target in sluice postgres; do
    if [ "$target" = sluice ]; then conn=(-h 127.0.0.1 -p "$port" -U sluice sluice); else conn=(-h 127.0.0.1 -p 5432 -U postgres test); fi
    out="$(pgbench -n -f "$tmp/q.sql" -M "$mode" -c "$clients" -T "$secs" "${conn[@]}" 2>&1)"
    tps="$(grep -oP 'tps = \K[0-9.]+' <<<"$out" | head -1)"
    lat="$(grep -oP 'latency average = \K[0-9.]+' <<<"$out")"
    failed="$(grep -oP 'number of failed transactions: \K[0-9]+' <<<"$out" || echo 0)"
    printf "%-8s %-9s %12s %12s %8s\n" "$target" "$mode" "$tps" "$lat" "$failed"
  done
done
