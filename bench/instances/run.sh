#!/usr/bin/env bash
# One vs two Mnemo instances on one PostgreSQL: upload+parse throughput and status-polling latency.
# Usage: bench/instances/run.sh [documents, default 200] [status requests, default 3000]
# Needs: dotnet, python3 with requests, PostgreSQL's initdb/pg_ctl (.ci/start-postgres starts a
# throwaway server). Builds Release; every run gets a fresh database and data directory. No proxy:
# the client spreads its requests over the instances itself. Everything stays on 127.0.0.1.
set -euo pipefail
DOCS="${1:-200}"
POLLS="${2:-3000}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d)"
PIDS=()
stop_all() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; PIDS=(); }
trap 'stop_all; "$ROOT/.ci/stop-postgres"; rm -rf "$WORK"' EXIT

eval "$("$ROOT/.ci/start-postgres")"
dotnet build "$ROOT/src/Mnemo.Server" -c Release -o "$WORK/bin" >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

for n in 1 2; do
  db="bench_$n"
  pg_port=$(sed 's/.*Port=\([0-9]*\).*/\1/' <<<"$MNEMO_TEST_POSTGRES")
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -qc "CREATE DATABASE $db"
  export MNEMO_DATABASE="${MNEMO_TEST_POSTGRES/Database=postgres/Database=$db}"
  export MNEMO_DATA_DIR="$WORK/data-$n" MNEMO_ADMIN_TOKEN=bench-admin
  # The contract's budgets would throttle the benchmark itself.
  export Mnemo__RateLimits__Memic__Upload__Permits=1000000 Mnemo__RateLimits__Memic__Status__Permits=1000000
  urls=()
  for i in $(seq 1 "$n"); do
    port=$(free_port)
    dotnet "$WORK/bin/Mnemo.Server.dll" --urls "http://127.0.0.1:$port" >"$WORK/server-$n-$i.log" 2>&1 &
    PIDS+=($!)
    urls+=("http://127.0.0.1:$port")
  done
  for u in "${urls[@]}"; do
    for _ in $(seq 1 150); do curl -sf "$u/healthz" >/dev/null && break; sleep 0.2; done
  done
  echo "== $n instance(s)"
  python3 "$ROOT/bench/instances/client.py" --docs "$DOCS" --polls "$POLLS" "${urls[@]}"
  stop_all
done
