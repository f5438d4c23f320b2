#!/usr/bin/env python3
"""Retrieval quality and query latency of Mnemo's memory search, over real HTTP.

Starts nothing: point it at a running server started with an admin token, e.g.
    MNEMO_ADMIN_TOKEN=bench MNEMO_DATA_DIR=/tmp/mnemo-bench dotnet run -c Release --project src/Mnemo.Server &
    python3 bench/search/run.py --url http://127.0.0.1:8080 --admin-token bench
(bench/search/compare.sh starts its own servers, one per ranking, and runs this for quality only.)

Quality: Debian's /usr/share/common-licenses texts are uploaded as TXT files through memic
POST /api/v1/files (the union of the files the chosen sets name, once); each question names the
license and a passage that answers it. A hit is relevant when it is a chunk of that file holding
the passage (whitespace folded, or the passage's first 40 characters when the chunk boundary cuts
it). Reports recall@5 and MRR@10 per set, and the scores of the relevant hits. Two sets:
  questions.tsv    worded much like their passages (BM25 finds most of them);
  paraphrases.tsv  worded deliberately unlike their passages (few or no shared content words).

--unrelated: the questions of unrelated.tsv, about things no license talks about, are asked with
memic min_score 0.7 (the Memic SDK's default): how many return any hit (goal 0); and again with
min_score 0, for the distribution of the top score (max, p90). Set beside the relevant hits'
scores, this shows whether one threshold separates answers from noise.

--check: no server; checks that each answer is verbatim in its file (whitespace folded) and inside
one chunk of the server's chunking, and lists the content words each question shares with its answer.

Latency: filler documents made from the same texts (sentences shuffled with a fixed seed) are
uploaded until the account holds --chunks chunks (counted with the server's chunking rule); then --queries searches run one at a time and
p50/p99 are reported (--no-latency skips it).

The last line printed is a one-line JSON summary (for a wrapper building a table).
"""
import argparse, csv, io, json, os, random, re, statistics, sys, time
import requests

LICENSES = "/usr/share/common-licenses"
HERE = os.path.dirname(os.path.abspath(__file__))
SETS = ("questions", "paraphrases")


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


def search(url, key, query, top_k, min_score=None):
    body = {"query": query, "top_k": top_k}
    if min_score is not None:
        body["min_score"] = min_score
    for attempt in range(50):
        t0 = time.perf_counter()
        r = requests.post(f"{url}/api/v1/search", headers={"X-API-Key": key}, json=body)
        elapsed = time.perf_counter() - t0
        if r.status_code == 429:
            time.sleep(int(r.headers.get("Retry-After", "1")))
            continue
        r.raise_for_status()
        return r.json(), elapsed
    raise RuntimeError("search kept being rate limited")


def load(name):
    """Rows of bench/search/<name>.tsv (a header line, tab separated, no quoting)."""
    with open(f"{HERE}/{name}.tsv", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def questions():
    return load("questions")


def license_text(name):
    with open(f"{LICENSES}/{name}", encoding="utf-8", errors="replace") as f:
        return f.read()


def upload_licenses(url, key, names, timeout):
    files = {name: upload(url, key, name + ".txt", license_text(name)) for name in sorted(names)}
    wait_ready(url, key, files.values(), timeout=timeout)
    return files


def relevant(hit, file_id, answer):
    content = fold(hit["content"])
    return hit["file_id"] == file_id and (answer in content or answer[:40] in content)


def pct(values, p):
    """The p-th percentile (nearest rank) of values; None when there are none."""
    if not values:
        return None
    v = sorted(values)
    return v[min(len(v) - 1, max(0, int(round(p / 100 * len(v) + 0.5)) - 1))]


def rounded(x):
    return None if x is None else round(x, 3)


def fmt(x):
    return "-" if x is None else f"{x:.3f}"


def quality(url, key, name, rows, files, label):
    """Asks each question of one set (top_k 10, min_score 0): recall@5, MRR@10 and the scores of the relevant hits."""
    recall5, rr, scores, top1 = [], [], [], []
    print(f"{label}{name}: {len(rows)} questions")
    for q in rows:
        body, _ = search(url, key, q["question"], 10, 0)
        hits = body["results"]["semantic"]
        answer = fold(q["answer"])
        rank = next((i for i, hit in enumerate(hits, start=1) if relevant(hit, files[q["file"]], answer)), None)
        recall5.append(1.0 if rank and rank <= 5 else 0.0)
        rr.append(1.0 / rank if rank else 0.0)
        if rank:
            scores.append(hits[rank - 1]["score"])
        if hits:
            top1.append(hits[0]["score"])
        score = f"{hits[rank - 1]['score']:.3f}" if rank else "  -  "
        print(f"  {'ok ' if rank and rank <= 5 else 'MISS'} rank={str(rank):4} score={score}  [{q['file']}] {q['question']}")
    result = {
        "n": len(rows),
        "recall@5": rounded(statistics.mean(recall5)),
        "mrr@10": rounded(statistics.mean(rr)),
        "found@10": len(scores),
        # Scores of the relevant hits found in the top 10: the low end is what a threshold must let through.
        "relevant_score": {"min": rounded(min(scores, default=None)), "p10": rounded(pct(scores, 10)),
                           "p50": rounded(pct(scores, 50)), "at_least_0.7": sum(1 for x in scores if x >= 0.7)},
    }
    rs = result["relevant_score"]
    print(f"{label}{name}: {len(rows)} questions  recall@5={result['recall@5']:.3f}  MRR@10={result['mrr@10']:.3f}  "
          f"relevant hits in top 10: {len(scores)}, score min={fmt(rs['min'])} p10={fmt(rs['p10'])} p50={fmt(rs['p50'])}, "
          f">=0.7: {rs['at_least_0.7']}")
    return result


def unrelated(url, key, label, threshold=0.7):
    """Questions no license answers: how many get any hit at min_score `threshold`, and the top score at min_score 0."""
    rows = load("unrelated")
    with_hit, tops = [], []
    for q in rows:
        body, _ = search(url, key, q["question"], 10, threshold)
        if body["results"]["semantic"]:
            with_hit.append(q["question"])
        body, _ = search(url, key, q["question"], 1, 0)
        hits = body["results"]["semantic"]
        top = hits[0]["score"] if hits else 0.0
        tops.append((top, q["question"], hits[0]["file_name"] if hits else ""))
    scores = [t for t, _, _ in tops]
    result = {"n": len(rows), "with_hit": len(with_hit), "min_score": threshold,
              "top_score": {"max": rounded(max(scores)), "p90": rounded(pct(scores, 90)), "p50": rounded(pct(scores, 50))}}
    print(f"{label}unrelated: {len(rows)} questions  with a hit at min_score {threshold}: {len(with_hit)}  "
          f"top score at min_score 0: max={result['top_score']['max']:.3f} p90={result['top_score']['p90']:.3f} "
          f"p50={result['top_score']['p50']:.3f}")
    for top, question, file_name in sorted(tops, reverse=True)[:5]:
        print(f"  top={top:.3f}  {'HIT ' if question in with_hit else '    '}{question}  ({file_name or 'no hit'})")
    return result


def server_chunks(text, chunk_chars):
    """How many chunks the server's TextChunker makes of text."""
    return len(chunk_spans(text, chunk_chars))


def chunk_spans(text, chunk_chars):
    """The (start, end) of each chunk the server's TextChunker makes of text (the same cuts: a
    paragraph break in the second half of the window, else the last space or newline)."""
    start, spans = 0, []
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
            spans.append((start, end))
        start = end
    return spans


STOP = set("""a about after all also am an and any are as at be been before being but by can could did do does
doing for from had has have having he her here him his how i if in into is it its just may me might more most must my
no nor not of on or our shall she should so some such than that the their them then there these they this those to
too under up us was we were what when where which while who whom why will with would you your""".split())  # SearchIndex.StopWords


def words(text):
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP}


def check(sets, server_chunk):
    """Offline: each answer verbatim in its file and within one chunk; the content words a question shares with its answer."""
    bad = 0
    for name in sets:
        rows = load(name)
        print(f"{name}: {len(rows)} questions over {len(set(r['file'] for r in rows))} files")
        for q in rows:
            text = license_text(q["file"])
            chunks = [fold(text[a:b]) for a, b in chunk_spans(text, server_chunk)]
            answer = fold(q["answer"])
            whole = [i for i, c in enumerate(chunks) if answer in c]
            cut = [i for i, c in enumerate(chunks) if answer[:40] in c]
            if answer not in fold(text):
                status, bad = "NOT IN FILE", bad + 1
            elif whole:
                status = f"chunk {whole[0]}" + (f" (and {len(whole) - 1} more)" if len(whole) > 1 else "")
            elif cut:
                status = f"cut by a chunk boundary, its start in chunk {cut[0]}"
            else:
                status, bad = "cut by a chunk boundary, not matched", bad + 1
            # Shared words, also by a common 5-letter prefix (the server's coverage matches prefixes too).
            shared = sorted(w for w in words(q["question"])
                            if any(w == v or (len(w) >= 5 and len(v) >= 5 and w[:5] == v[:5]) for v in words(q["answer"])))
            print(f"  {status:24} shared={','.join(shared) or '-':24} [{q['file']}] {q['question']}")
    if os.path.exists(f"{HERE}/unrelated.tsv"):
        print(f"unrelated: {len(load('unrelated'))} questions")
    return 1 if bad else 0


def latency(url, key, chunks, queries, chunk_chars, server_chunk):
    sentences = []
    for name in sorted(r["file"] for r in questions()):
        text = license_text(name)
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
    words_ = [w for w in re.findall(r"[a-z]{5,}", " ".join(sentences).lower())]
    times = []
    for i in range(queries):
        q = " ".join(rng.sample(words_, 3))
        _, elapsed = search(url, key, q, 10)
        times.append(elapsed * 1000)
    times.sort()
    return made, times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--url", default="http://127.0.0.1:8080")
    p.add_argument("--admin-token")
    p.add_argument("--set", choices=["questions", "paraphrases", "both", "none"], default="both",
                   help="question sets to score (none: only --unrelated and latency)")
    p.add_argument("--unrelated", action="store_true", help="also ask unrelated.tsv (hits at min_score 0.7, top scores)")
    p.add_argument("--label", default="", help="tag for the output lines and the JSON summary (e.g. the ranking)")
    p.add_argument("--check", action="store_true", help="validate the sets offline (no server) and exit")
    p.add_argument("--no-latency", action="store_true", help="skip the latency part")
    p.add_argument("--ready-timeout", type=int, default=1800, help="seconds to wait for the uploaded licenses to be ready")
    p.add_argument("--chunks", type=int, nargs="*", default=[10_000, 100_000])
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--chunk-chars", type=int, default=400, help="filler paragraph size")
    p.add_argument("--server-chunk-chars", type=int, default=2000, help="the server's Mnemo:Processing:ChunkChars")
    a = p.parse_args()
    sets = SETS if a.set == "both" else () if a.set == "none" else (a.set,)
    if a.check:
        return check(sets or SETS, a.server_chunk_chars)
    if not a.admin_token:
        p.error("--admin-token is required (except with --check)")
    label = f"[{a.label}] " if a.label else ""
    summary = {"label": a.label}
    if sets or a.unrelated:
        key = make_account(a.url, a.admin_token)
        rows = {name: load(name) for name in sets}
        # The corpus: every file the chosen sets name (both sets' files for --unrelated alone), uploaded once.
        names = {r["file"] for name in (sets or SETS) for r in (rows.get(name) or load(name))}
        files = upload_licenses(a.url, key, names, a.ready_timeout)
        summary["files"] = len(files)
        for name in sets:
            summary[name] = quality(a.url, key, name, rows[name], files, label)
        if a.unrelated:
            summary["unrelated"] = unrelated(a.url, key, label)
    if not a.no_latency:
        summary["latency"] = []
        for total in a.chunks:
            k = make_account(a.url, a.admin_token)
            made, p50, p99 = latency(a.url, k, total, a.queries, a.chunk_chars, a.server_chunk_chars)
            print(f"{label}latency: {made} chunks  p50={p50:.1f} ms  p99={p99:.1f} ms  ({a.queries} queries, top_k 10)")
            summary["latency"].append({"chunks": made, "p50_ms": round(p50, 1), "p99_ms": round(p99, 1)})
    print(json.dumps(summary, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
