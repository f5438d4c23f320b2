#!/usr/bin/env bash
# Hostile documents against a real server: how long each takes to end, and the server's peak RSS.
#   bomb.docx   ~1 MB zipped, 1 GB of text in word/document.xml (the shape of the incident in docs/assets.md)
#   dense.docx  ~9 MB zipped, 19 MB of ordinary text: 9 500 chunks, just under the default chunk limit
#   flood.pdf   10 000 pages in ~1.7 MB, uploaded by an account holding 100 credits
# Usage: bench/document-bombs.sh [port, default 18098]. Needs: dotnet, curl, python3, pdftotext/pdfinfo.
set -euo pipefail
PORT="${1:-18098}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
BASE_URL="http://127.0.0.1:$PORT"
ADMIN=bench-admin-token
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

python3 - "$WORK" <<'EOF'
import random, sys, zipfile
work = sys.argv[1]
types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
         'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>')
head = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
def docx(name, body):
    with zipfile.ZipFile(f"{work}/{name}", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rels)
        with z.open("word/document.xml", "w", force_zip64=True) as d:
            d.write(head)
            body(d)
            d.write(b"</w:body></w:document>")
def zeros(d):
    d.write(b"<w:p><w:r><w:t>")
    block = b"0" * (1 << 20)
    for _ in range(1024):
        d.write(block)
    d.write(b"</w:t></w:r></w:p>")
def dense(d):
    rnd = random.Random(7)
    for _ in range(9500):
        words = " ".join("".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(3, 8))) for _ in range(330))
        d.write(f"<w:p><w:r><w:t>{words[:1900]}</w:t></w:r></w:p>".encode())
docx("bomb.docx", zeros)
docx("dense.docx", dense)
pages = 10000
objs = ["<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [" + " ".join(f"{i} 0 R" for i in range(5, 5 + pages)) + f"] /Count {pages} >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
s = "BT /F1 18 Tf 72 720 Td (A page about llamas) Tj ET"
objs.append(f"<< /Length {len(s)} >>\nstream\n{s}\nendstream")
objs += ["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"] * pages
out, offs = "%PDF-1.4\n", []
for i, o in enumerate(objs):
    offs.append(len(out)); out += f"{i + 1} 0 obj\n{o}\nendobj\n"
x = len(out)
out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offs)
out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n"
open(f"{work}/flood.pdf", "w").write(out)
EOF

dotnet build "$ROOT/src/Mnemo.Server" -c Release -o "$WORK/bin" >/dev/null
MNEMO_DATA_DIR="$WORK/data" MNEMO_ADMIN_TOKEN="$ADMIN" ASPNETCORE_URLS="$BASE_URL" dotnet "$WORK/bin/Mnemo.Server.dll" >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -sf "$BASE_URL/healthz" >/dev/null && break; sleep 0.2; done

key_for() { # credits -> API key of a new account
  local id
  id="$(curl -sf -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d "{\"name\":\"bench-$RANDOM\",\"credits\":$1}" "$BASE_URL/admin/accounts" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
  curl -sf -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d '{}' "$BASE_URL/admin/accounts/$id/keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])'
}
rss() { awk '/VmRSS/ {print $2}' "/proc/$SERVER/status"; }

run() { # file credits
  local key start id body status peak
  key="$(key_for "$2")"
  : >"$WORK/rss"
  ( while kill -0 "$SERVER" 2>/dev/null; do rss >>"$WORK/rss"; sleep 0.1; done ) &
  local sampler=$!
  start=$(date +%s.%N)
  id="$(curl -sf -H "X-API-Key: $key" -F "file=@$WORK/$1" "$BASE_URL/api/v1/files" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
  while :; do
    body="$(curl -sf -H "X-API-Key: $key" "$BASE_URL/api/v1/files/$id")"
    status="$(printf '%s' "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')"
    case "$status" in ready|*failed) break ;; esac
    sleep 0.2
  done
  kill "$sampler" 2>/dev/null || true
  peak="$(sort -n "$WORK/rss" | tail -1)"
  printf '%s' "$body" | python3 -c "import json,sys; f=json.load(sys.stdin); print(f'$1 ({$(stat -c%s "$WORK/$1")} bytes): {f[\"status\"]} after %.1f s, {f[\"total_chunks\"]} chunks, RSS peak %d MB; {(f[\"error_message\"] or \"\")[:160]}' % ($(date +%s.%N) - $start, $peak / 1024))"
  curl -sf -H "X-API-Key: $key" "$BASE_URL/api/v1/usage" | python3 -c 'import json,sys; u=json.load(sys.stdin); print("  balance", u["balance"], "|", "; ".join(e["kind"] + " " + str(e["amount"]) for e in reversed(u["entries"])))'
}

echo "RSS idle $(( $(rss) / 1024 )) MB"
run bomb.docx 1000
run dense.docx 100000
run flood.pdf 100
