#!/usr/bin/env python3
"""The client side of bench/instances/run.sh: spreads requests round-robin over the given instances.

1. Upload+parse: N small Markdown documents through memic (POST /api/v1/files), 8 at a time; then
   poll until every one is ready. Throughput = documents / (first upload .. last one ready).
Both after a short warm-up on every instance.
2. Status polling: M GET /api/v1/files/{id}/status, 8 at a time; p50/p99 latency.
"""
import argparse, itertools, statistics, threading, time
from concurrent.futures import ThreadPoolExecutor
import requests

parser = argparse.ArgumentParser()
parser.add_argument("--docs", type=int, default=200)
parser.add_argument("--polls", type=int, default=3000)
parser.add_argument("--concurrency", type=int, default=8)
parser.add_argument("urls", nargs="+")
args = parser.parse_args()

admin = {"Authorization": "Bearer bench-admin"}
account = requests.post(args.urls[0] + "/admin/accounts", json={"name": "bench", "credits": 10_000_000}, headers=admin).json()
key = requests.post(f"{args.urls[0]}/admin/accounts/{account['id']}/keys", json={}, headers=admin).json()["key"]
local = threading.local()

def session():
    if not hasattr(local, "s"):
        local.s = requests.Session()
        local.s.headers["X-API-Key"] = key
    return local.s

def upload(i):
    url = args.urls[i % len(args.urls)]
    body = f"# Bench note {i}\n\nA small document about instance scaling, number {i}.\n".encode()
    r = session().post(url + "/api/v1/files", files={"file": (f"note-{i}.md", body, "application/octet-stream")})
    r.raise_for_status()
    return r.json()["id"]

# Warm-up (JIT, connection pools) on every instance, not measured.
with ThreadPoolExecutor(args.concurrency) as pool:
    warm = list(pool.map(upload, range(-4 * len(args.urls), 0)))
    list(pool.map(lambda i: session().get(f"{args.urls[i % len(args.urls)]}/api/v1/files/{warm[0]}/status"), range(50 * len(args.urls))))
time.sleep(2)

started = time.perf_counter()
with ThreadPoolExecutor(args.concurrency) as pool:
    ids = list(pool.map(upload, range(args.docs)))
uploaded = time.perf_counter()
pending = set(ids)
rr = itertools.count()
while pending:
    for file_id in list(pending):
        url = args.urls[next(rr) % len(args.urls)]
        if session().get(f"{url}/api/v1/files/{file_id}/status").json()["status"] in ("ready", "failed"):
            pending.discard(file_id)
    if pending:
        time.sleep(0.05)
done = time.perf_counter()
print(f"upload          {args.docs} docs in {uploaded - started:.1f} s ({args.docs / (uploaded - started):.0f}/s accepted)")
print(f"upload+parse    {done - started:.1f} s ({args.docs / (done - started):.1f} docs/s until all ready)")

def poll(i):
    url = args.urls[i % len(args.urls)]
    t = time.perf_counter()
    session().get(f"{url}/api/v1/files/{ids[i % len(ids)]}/status").raise_for_status()
    return (time.perf_counter() - t) * 1000

t0 = time.perf_counter()
with ThreadPoolExecutor(args.concurrency) as pool:
    latencies = sorted(pool.map(poll, range(args.polls)))
elapsed = time.perf_counter() - t0
p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
print(f"status polling  {args.polls} requests, {args.polls / elapsed:.0f}/s, p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms")
