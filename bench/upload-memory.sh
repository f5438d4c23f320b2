#!/usr/bin/env bash
# Measures the server's peak RSS and throughput while a large file is uploaded (multipart, v2) and
# downloaded back. Usage: bench/upload-memory.sh [size, default 2G] [port, default 18099]
# Needs: dotnet, curl. Builds Release, starts its own server on a temp data dir, stops it at the end.
set -euo pipefail
SIZE="${1:-2G}"
PORT="${2:-18099}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

dotnet build "$ROOT/src/Mnemo.Server" -c Release -o "$WORK/bin" >/dev/null
MNEMO_DATA_DIR="$WORK/data" ASPNETCORE_URLS="http://127.0.0.1:$PORT" dotnet "$WORK/bin/Mnemo.Server.dll" >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
KEY="$(grep -o 'sk-mnemo-[A-Za-z0-9_-]\{43\}' "$WORK/server.log" | head -1)"

# A sparse file that starts like an MP4: accepted as video, streamed in full, fails parsing (no moov).
printf '\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2' >"$WORK/big.mp4"
truncate -s "$SIZE" "$WORK/big.mp4"

rss() { awk '/VmRSS/ {print $2}' "/proc/$SERVER/status"; }
BASE="$(rss)"
( while kill -0 "$SERVER" 2>/dev/null; do rss >>"$WORK/rss"; sleep 0.2; done ) &
SAMPLER=$!

START=$(date +%s.%N)
ID="$(curl -sf -H "Authorization: $KEY" -F "file=@$WORK/big.mp4" "http://127.0.0.1:$PORT/serve/api/v2/upload" | grep -o 're_[0-9]*')"
MID=$(date +%s.%N)
curl -sf -o /dev/null -H "Authorization: $KEY" "http://127.0.0.1:$PORT/serve/api/v2/$ID/download"
END=$(date +%s.%N)
kill "$SAMPLER" 2>/dev/null || true

BYTES=$(stat -c%s "$WORK/big.mp4")
PEAK="$(sort -n "$WORK/rss" | tail -1)"
awk -v b="$BYTES" -v s="$START" -v m="$MID" -v e="$END" -v base="$BASE" -v peak="$PEAK" 'BEGIN {
  printf "file            %.0f MB\n", b / 1048576
  printf "upload          %.1f s (%.0f MB/s)\n", m - s, b / 1048576 / (m - s)
  printf "download        %.1f s (%.0f MB/s)\n", e - m, b / 1048576 / (e - m)
  printf "RSS idle        %.0f MB\n", base / 1024
  printf "RSS peak        %.0f MB\n", peak / 1024
}'
