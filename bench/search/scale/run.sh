#!/usr/bin/env bash
# Hybrid search latency over HTTP at 10k, 100k and 1M chunks, and the server's RSS with their vectors.
# For each size: a fresh data directory migrated by the server; a server start to make an account, a key and
# one tiny ready file (the template row); the server stopped, N synthetic chunks (~1,000 characters of real
# license sentences, synthetic clustered 384-d unit vectors) written into its SQLite file by Seed; the server
# started again (Release, rate limits off), timed until its log says the vector index loaded; then memic
# POST /api/v1/search, top_k 10, one at a time: 300 questions (questions.tsv and paraphrases.tsv, each text asked
# once) and 100 with a file_ids filter of 10 files. Last, the vector side alone in process (Seed scan), which
# is what hybrid search adds once the server embeds questions. Prints a markdown table row per size.
# Usage: bench/search/scale/run.sh [sizes, default "10000 100000 1000000"] [port, default 18430]
# QUERIES, FILTERED and WARMUP (default 300, 100, 88) set how many searches are run (fewer for 1M: each takes seconds).
# Needs: dotnet, curl, jq. Work directory kept with KEEP=1 (logs, JSON per size); WORK=dir to choose it.
set -euo pipefail
SIZES="${1:-10000 100000 1000000}"
PORT="${2:-18430}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
WORK="${WORK:-$(mktemp -d -t mnemo-scale-XXXXXX)}"
mkdir -p "$WORK"
URL="http://127.0.0.1:$PORT"
ADMIN=scale-admin-token
SERVER=""

stop_server() {
  if [[ -n "$SERVER" ]] && kill -0 "$SERVER" 2>/dev/null; then
    kill "$SERVER"
    for _ in $(seq 1 100); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$SERVER" 2>/dev/null || true
  fi
  SERVER=""
}
cleanup() {
  stop_server
  if [[ "${KEEP:-0}" == 1 ]]; then echo "work directory: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# start_server <data dir> <log>: a Release server in the background, its pid in SERVER.
start_server() {
  MNEMO_DATA_DIR="$1" MNEMO_ADMIN_TOKEN="$ADMIN" ASPNETCORE_URLS="$URL" Mnemo__RateLimits__Enabled=false \
    dotnet "$WORK/server/Mnemo.Server.dll" >"$2" 2>&1 &
  SERVER=$!
}
wait_ready() {
  for _ in $(seq 1 1200); do
    if curl -sf "$URL/readyz" >/dev/null 2>&1; then return 0; fi
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 0.5
  done
  echo "server did not become ready; last log lines:" >&2; tail -20 "$1" >&2; exit 1
}
# wait_loaded <log>: prints "<vectors> <assets> <seconds>" from the server's "Vector index loaded" line.
wait_loaded() {
  for _ in $(seq 1 3600); do
    line=$(grep -o 'Vector index loaded: [0-9]* vectors of [0-9]* assets in [0-9.]* s' "$1" | head -n 1 || true)
    if [[ -n "$line" ]]; then awk '{print $4, $7, $10}' <<<"$line"; return 0; fi
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 0.5
  done
  echo "the vector index did not load; last log lines:" >&2; tail -20 "$1" >&2; exit 1
}
rss_mb() { awk -v k="$2" '$1 == k":" {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

echo "building Release into $WORK ..." >&2
dotnet build "$ROOT/src/Mnemo.Server" -c Release -p:MnemoSkipSetup=true -o "$WORK/server" >"$WORK/build.log" 2>&1 \
  || { tail -20 "$WORK/build.log" >&2; exit 1; }
dotnet build "$HERE" -c Release -p:MnemoSkipSetup=true -o "$WORK/seed" >>"$WORK/build.log" 2>&1 \
  || { tail -20 "$WORK/build.log" >&2; exit 1; }

ROWS=()
for N in $SIZES; do
  echo "== $N chunks" >&2
  DATA="$WORK/data-$N"
  rm -rf "$DATA"
  MNEMO_DATA_DIR="$DATA" dotnet "$WORK/server/Mnemo.Server.dll" migrate >"$WORK/migrate-$N.log" 2>&1 \
    || { tail -20 "$WORK/migrate-$N.log" >&2; exit 1; }

  start_server "$DATA" "$WORK/prepare-$N.log"
  wait_ready "$WORK/prepare-$N.log"
  dotnet "$WORK/seed/Seed.dll" prepare --url "$URL" --admin-token "$ADMIN" --out "$WORK/key-$N"
  stop_server
  KEY=$(sed -n 1p "$WORK/key-$N"); TEMPLATE=$(sed -n 2p "$WORK/key-$N")

  echo "seeding $N chunks ..." >&2
  dotnet "$WORK/seed/Seed.dll" seed --db "$DATA/mnemo.db" --chunks "$N" --template "$TEMPLATE" --ids-out "$WORK/ids-$N" \
    | tee "$WORK/seed-$N.json" >&2

  started=$(date +%s.%N)
  start_server "$DATA" "$WORK/server-$N.log"
  read -r VECTORS ASSETS LOAD_S < <(wait_loaded "$WORK/server-$N.log")
  loaded=$(date +%s.%N)
  wait_ready "$WORK/server-$N.log"
  sleep 2
  RSS_LOAD=$(rss_mb "$SERVER" VmRSS)
  echo "loaded $VECTORS vectors of $ASSETS assets in $LOAD_S s (start to loaded $(echo "$loaded - $started" | bc) s), RSS $RSS_LOAD MB" >&2

  dotnet "$WORK/seed/Seed.dll" query --url "$URL" --key "$KEY" --ids "$WORK/ids-$N" --sets "$ROOT/bench/search" \
    --queries "${QUERIES:-300}" --filtered "${FILTERED:-100}" --warmup "${WARMUP:-88}" | tee "$WORK/query-$N.json" >&2
  RSS_AFTER=$(rss_mb "$SERVER" VmRSS); RSS_PEAK=$(rss_mb "$SERVER" VmHWM)
  stop_server

  echo "vector side in process ..." >&2
  dotnet "$WORK/seed/Seed.dll" scan --chunks "$N" | tee "$WORK/scan-$N.json" >&2

  s="$WORK/seed-$N.json"; q="$WORK/query-$N.json"; v="$WORK/scan-$N.json"
  ROWS+=("$(printf '| %s | %s | %.0f | %s | %s | %s | %s | %s | %.0f | %s / %s | %s / %s | %s | %s / %s | %s / %s |' \
    "$N" "$(jq -r .seconds "$s")" "$(jq -r '.db_bytes / 1048576' "$s")" "$VECTORS" "$LOAD_S" "$RSS_LOAD" "$RSS_AFTER" "$RSS_PEAK" \
    "$(echo "$N * 384 * 4 / 1048576" | bc -l)" \
    "$(jq -r .open.P50Ms "$q")" "$(jq -r .open.P99Ms "$q")" "$(jq -r .filtered.P50Ms "$q")" "$(jq -r .filtered.P99Ms "$q")" \
    "$(jq -r .open.Route "$q")" "$(jq -r .p50_ms "$v")" "$(jq -r .p99_ms "$v")" "$(jq -r .filtered_p50_ms "$v")" "$(jq -r .filtered_p99_ms "$v")")")
  [[ "${KEEP:-0}" == 1 ]] || rm -rf "$DATA"
done

echo
echo "Vectors are SYNTHETIC (2,000 random unit centres, each chunk normalise(centre + 0.6 noise)); texts are real license sentences shuffled."
echo "HTTP: memic POST /api/v1/search, top_k 10, one at a time, ${QUERIES:-300} questions + ${FILTERED:-100} with file_ids (10 files)."
echo "route \"keyword\" = the server embedded no question (no model): the HTTP numbers are BM25 only; the last two columns are the vector side alone."
echo
echo "| chunks | seed (s) | db (MB) | vectors loaded | load (s) | RSS after load (MB) | RSS after queries (MB) | peak RSS (MB) | raw float32 (MB) | search p50 / p99 (ms) | file_ids p50 / p99 (ms) | route | vector scan p50 / p99 (ms) | scan 10 files p50 / p99 (ms) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"
printf '%s\n' "${ROWS[@]}"
