#!/usr/bin/env bash
# Search quality per ranking (Mnemo:Search:Ranking = Lexical | Semantic | Hybrid), one table.
# Builds the server once (Release), then for each ranking starts it on a fresh data directory, waits for
# /readyz, runs bench/search/run.py for quality only (questions.tsv, paraphrases.tsv and unrelated.tsv;
# no latency part), stops it, and prints a markdown table. Rate limits are off: this measures ranking.
# Usage: bench/search/compare.sh [port, default 18420] [rankings, default "Lexical Semantic Hybrid"]
# Needs: dotnet, curl, python3 with requests. Work directory kept with KEEP=1 (logs, JSON per ranking).
set -euo pipefail
PORT="${1:-18420}"
RANKINGS="${2:-Lexical Semantic Hybrid}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d -t mnemo-search-compare-XXXXXX)"
URL="http://127.0.0.1:$PORT"
ADMIN=bench-admin-token
SERVER=""

stop_server() {
  if [[ -n "$SERVER" ]] && kill -0 "$SERVER" 2>/dev/null; then
    kill "$SERVER"
    for _ in $(seq 1 50); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$SERVER" 2>/dev/null || true
  fi
  SERVER=""
}
cleanup() {
  stop_server
  if [[ "${KEEP:-0}" == 1 ]]; then echo "work directory: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

echo "building Release into $WORK/bin ..." >&2
dotnet build "$ROOT/src/Mnemo.Server" -c Release -p:MnemoSkipSetup=true -o "$WORK/bin" >"$WORK/build.log" 2>&1 \
  || { tail -20 "$WORK/build.log" >&2; exit 1; }

for ranking in $RANKINGS; do
  echo "== $ranking" >&2
  MNEMO_DATA_DIR="$WORK/data-$ranking" MNEMO_ADMIN_TOKEN="$ADMIN" ASPNETCORE_URLS="$URL" \
    Mnemo__Search__Ranking="$ranking" Mnemo__RateLimits__Enabled=false \
    dotnet "$WORK/bin/Mnemo.Server.dll" >"$WORK/server-$ranking.log" 2>&1 &
  SERVER=$!
  ready=0
  for _ in $(seq 1 600); do  # up to 5 minutes: a semantic ranking may load its model first
    if curl -sf "$URL/readyz" >/dev/null 2>&1; then ready=1; break; fi
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 0.5
  done
  if [[ $ready != 1 ]]; then
    echo "server ($ranking) did not become ready; last log lines:" >&2
    tail -20 "$WORK/server-$ranking.log" >&2
    exit 1
  fi
  python3 "$ROOT/bench/search/run.py" --url "$URL" --admin-token "$ADMIN" --set both --unrelated --no-latency \
    --label "$ranking" | tee "$WORK/run-$ranking.txt" >&2
  tail -n 1 "$WORK/run-$ranking.txt" >"$WORK/summary-$ranking.json"
  stop_server
done

python3 - "$WORK" $RANKINGS <<'EOF'
import json, sys
work, rankings = sys.argv[1], sys.argv[2:]
print("| ranking | questions recall@5 | questions MRR@10 | paraphrases recall@5 | paraphrases MRR@10 "
      "| unrelated with a hit at 0.7 | unrelated top score max / p90 | relevant paraphrase hit score p10 / p50 |")
print("|---|---|---|---|---|---|---|---|")
f = lambda x: "-" if x is None else f"{x:.3f}"
for r in rankings:
    s = json.load(open(f"{work}/summary-{r}.json"))
    q, p, u = s["questions"], s["paraphrases"], s["unrelated"]
    print(f"| {r} | {f(q['recall@5'])} | {f(q['mrr@10'])} | {f(p['recall@5'])} | {f(p['mrr@10'])} "
          f"| {u['with_hit']} of {u['n']} | {f(u['top_score']['max'])} / {f(u['top_score']['p90'])} "
          f"| {f(p['relevant_score']['p10'])} / {f(p['relevant_score']['p50'])} |")
EOF
