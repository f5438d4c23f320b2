#!/usr/bin/env bash
# Soak: a Release server under 200 concurrent clients for a bounded time, RSS and p99 sampled as it goes.
# Usage: bench/soak/run.sh [minutes, default 4] [clients, default 200] [sample seconds, default 20] [port, default 18400]
# Needs: dotnet. Everything stays on 127.0.0.1; the run stops by itself. Prints one row per sample.
set -euo pipefail
MINUTES="${1:-4}"
CLIENTS="${2:-200}"
SAMPLE="${3:-20}"
PORT="${4:-18400}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
dotnet build "$ROOT/src/Mnemo.Server" -c Release -o "$WORK/server" >/dev/null
dotnet build "$ROOT/bench/soak" -c Release -o "$WORK/soak" >/dev/null
dotnet "$WORK/soak/Soak.dll" --server "$WORK/server/Mnemo.Server.dll" --data "$WORK/data" \
  --minutes "$MINUTES" --clients "$CLIENTS" --sample "$SAMPLE" --port "$PORT"
