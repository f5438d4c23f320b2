#!/usr/bin/env python3
"""Retrieval quality and query latency of Mnemo's memory search, over real HTTP.

Starts nothing: point it at a running server started with an admin token, e.g.
    MNEMO_ADMIN_TOKEN=bench MNEMO_DATA_DIR=/tmp/mnemo-bench dotnet run -c Release --project src/Mnemo.Server &
    python3 bench/search/run.py --url http://127.0.0.1:8080 --admin-token bench

Quality: Debian's /usr/share/common-licenses texts are uploaded as TXT files through memic
POST /api/v1/files; each question in questions.tsv names the license and a passage that answers
it. A hit is relevant when its content holds that passage (whitespace folded, or the passage's
first 40 characters when the chunk boundary cuts it). Reports recall@5 and MRR@10.

Latency: filler documents made from the same texts (sentences shuffled with a fixed seed) are
uploaded until the account holds --chunks chunks (counted with the server's chunking rule); then --queries searches run one at a time and
p50/p99 are reported.
"""
import argparse, csv, io, random, re, statistics, sys, time
import requests

LICENSES = "/usr/share/common-licenses"


def fold(s):
    return re.sub(r"\s+", " ", s).strip().lower()


def make_account(url, admin_token, credits=10_000_000):
    h = {"Authorization": f"Bearer {admin_token}"}
    acct = requests.post(f"{url}/admin/accounts", json={"name": f"bench-{int(time.time())}", "credits": credits}, headers=h).json()
    key = requests.post(f"{url}/admin/accounts/{acct['id']}/keys", json={}, headers=h).json()
    return key["key"]


def upload(url, key, name, text):
    for attempt in range(20):
        r = requests.post(f"{url}/api/v1/files", headers={"X-API-Key": key},
                          files={"file": (name, io.BytesIO(text.encode()), "text/plain")})
        if r.status_code == 429:
            time.sleep(int(r.headers.get("Retry-After", "1")))
            continue
        r.raise_for_status()
        return r.json()["id"]
    raise RuntimeError("upload kept being rate limited")


def wait_ready(url, key, ids, timeout=600):
    deadline = time.time() + timeout
    pending = set(ids)
    while pending and time.time() < deadline:
        for fid in list(pending):
            r = requests.get(f"{url}/api/v1/files/{fid}/status", headers={"X-API-Key": key})
            if r.status_code == 429:
                time.sleep(int(r.headers.get("Retry-After", "1")))
                continue
            status = r.json()["status"]
            if status == "ready":
                pending.discard(fid)
            elif status == "failed":
                raise RuntimeError(f"{fid} failed: {r.json().get('error_message')}")
        time.sleep(0.2)
    if pending:
        raise RuntimeError(f"{len(pending)} files not ready in time")


def search(url, key, query, top_k):
    for attempt in range(50):
        t0 = time.perf_counter()
        r = requests.post(f"{url}/api/v1/search", headers={"X-API-Key": key}, json={"query": query, "top_k": top_k})
        elapsed = time.perf_counter() - t0
        if r.status_code == 429:
            time.sleep(int(r.headers.get("Retry-After", "1")))
            continue
        r.raise_for_status()
        return r.json(), elapsed
    raise RuntimeError("search kept being rate limited")


def quality(url, key):
    files = {}
    for name in sorted(set(r["file"] for r in questions())):
        files[name] = upload(url, key, name + ".txt", open(f"{LICENSES}/{name}", encoding="utf-8", errors="replace").read())
    wait_ready(url, key, files.values())
    recall5, rr = [], []
    for q in questions():
        body, _ = search(url, key, q["question"], 10)
        answer = fold(q["answer"])
        rank = None
        for i, hit in enumerate(body["results"]["semantic"], start=1):
            content = fold(hit["content"])
            if hit["file_id"] == files[q["file"]] and (answer in content or answer[:40] in content):
                rank = i
                break
        recall5.append(1.0 if rank and rank <= 5 else 0.0)
        rr.append(1.0 / rank if rank else 0.0)
        print(f"  {'ok ' if rank and rank <= 5 else 'MISS'} rank={rank}  {q['question']}")
    return statistics.mean(recall5), statistics.mean(rr), len(recall5)


def server_chunks(text, chunk_chars):
    """How many chunks the server's TextChunker makes of text (the same cuts: a paragraph break in
    the second half of the window, else the last space or newline)."""
    start, count = 0, 0
    while start < len(text):
        while start < len(text) and text[start].isspace():
            start += 1
        if start >= len(text):
            break
        end = min(len(text), start + chunk_chars)
        if end < len(text):
            window = text[start:end]
            cut = window.rfind("\n\n")
            if cut < chunk_chars // 2:
                cut = max(window.rfind(" "), window.rfind("\n"))
            if cut > 0:
                end = start + cut
        if text[start:end].strip():
            count += 1
        start = end
    return count


def questions():
    with open(__file__.rsplit("/", 1)[0] + "/questions.tsv", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def latency(url, key, chunks, queries, chunk_chars, server_chunk):
    sentences = []
    for name in sorted(r["file"] for r in questions()):
        text = open(f"{LICENSES}/{name}", encoding="utf-8", errors="replace").read()
        sentences += [s.strip() for s in re.split(r"(?<=[.;:])\s+", text) if len(s.strip()) > 20]
    rng = random.Random(42)
    per_file = 8000  # paragraphs per uploaded filler document (about 1,800 chunks)
    ids, made = [], 0
    while made < chunks:
        n = min(per_file, (chunks - made) * 5)
        doc = []
        for _ in range(n):
            para, size = [], 0
            while size < chunk_chars:
                s = rng.choice(sentences)
                para.append(s)
                size += len(s) + 1
            doc.append(" ".join(para))
        text = "\n\n".join(doc)
        made += server_chunks(text, server_chunk)
        ids.append(upload(url, key, f"filler-{len(ids)}.txt", text))
    wait_ready(url, key, ids, timeout=3600)
    words = [w for w in re.findall(r"[a-z]{5,}", " ".join(sentences).lower())]
    times = []
    for i in range(queries):
        q = " ".join(rng.sample(words, 3))
        _, elapsed = search(url, key, q, 10)
        times.append(elapsed * 1000)
    times.sort()
    return made, times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", default="http://127.0.0.1:8080")
    p.add_argument("--admin-token", required=True)
    p.add_argument("--chunks", type=int, nargs="*", default=[10_000, 100_000])
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--chunk-chars", type=int, default=400, help="filler paragraph size")
    p.add_argument("--server-chunk-chars", type=int, default=2000, help="the server's Mnemo:Processing:ChunkChars")
    a = p.parse_args()
    key = make_account(a.url, a.admin_token)
    r5, mrr, n = quality(a.url, key)
    print(f"quality: {n} questions  recall@5={r5:.3f}  MRR@10={mrr:.3f}")
    for total in a.chunks:
        k = make_account(a.url, a.admin_token)
        made, p50, p99 = latency(a.url, k, total, a.queries, a.chunk_chars, a.server_chunk_chars)
        print(f"latency: {made} chunks  p50={p50:.1f} ms  p99={p99:.1f} ms  ({a.queries} queries, top_k 10)")


if __name__ == "__main__":
    sys.exit(main())
