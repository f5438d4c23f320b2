#!/usr/bin/env python3
"""Parse time of a 60 s 720p video with the vision step on, against the same with it off, over real HTTP.

Builds the server (Release) once, then for each setting starts it on a fresh data directory
(Mnemo__Understanding__Vision=true|false, rate limits off), uploads bench/vision/run.py's slideshow of darknet
photos through memories v2 upload, polls its metadata until SUCCESS, and reads how long each parse step took from
GET /serve/api/v2/{asset_id}/understanding. Runs --rounds rounds (default 2) of (on, off) and reports the medians.
Goal (issue 14): vision adds at most 1x the video's duration on 2 cores.
Needs: dotnet, ffmpeg, node, curl, darknet, scripts/install-vision, python3 with requests.
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import run  # noqa: E402
from assets import poll_ready, upload_v2, wait_http  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ADMIN = "bench-admin-token"


def parse_once(binary, work, port, vision, video):
    url = f"http://127.0.0.1:{port}"
    data = tempfile.mkdtemp(prefix="data-", dir=work)
    env = dict(os.environ, MNEMO_DATA_DIR=data, MNEMO_ADMIN_TOKEN=ADMIN, ASPNETCORE_URLS=url,
               Mnemo__Understanding__Vision=str(vision).lower(), Mnemo__RateLimits__Enabled="false")
    with open(os.path.join(work, f"server-{port}.log"), "w") as log:
        server = subprocess.Popen(["dotnet", binary], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_http(f"{url}/healthz")
        h = {"Authorization": f"Bearer {ADMIN}"}
        account = requests.post(f"{url}/admin/accounts", json={"name": "bench", "credits": 1_000_000}, headers=h).json()
        key = requests.post(f"{url}/admin/accounts/{account['id']}/keys", json={}, headers=h).json()["key"]
        started = time.perf_counter()
        asset = upload_v2(url, key, video)
        ready = poll_ready(url, key, asset, timeout=900, every=0.5)
        steps = requests.get(f"{url}/serve/api/v2/{asset}/understanding", headers={"Authorization": key}).json()["data"]["steps"]
        return ready - started, {s["name"]: s["milliseconds"] / 1000 for s in steps}
    finally:
        server.terminate()
        server.wait(30)
        shutil.rmtree(data, ignore_errors=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--port", type=int, default=18430)
    args = p.parse_args()
    work = tempfile.mkdtemp(prefix="mnemo-vision-parse-")
    try:
        print("building Release ...", file=sys.stderr)
        subprocess.run(["dotnet", "build", f"{ROOT}/src/Mnemo.Server", "-c", "Release", "-p:MnemoSkipSetup=true",
                        "-o", f"{work}/bin", "-v", "q", "-clp:ErrorsOnly"], check=True, stdout=subprocess.DEVNULL)
        video = os.path.join(work, "slideshow.mp4")
        run.slideshow(video)
        totals = {True: [], False: []}
        vision_steps = []
        for r in range(args.rounds):
            for vision in (True, False):
                seconds, steps = parse_once(f"{work}/bin/Mnemo.Server.dll", work, args.port, vision, video)
                totals[vision].append(seconds)
                if vision:
                    vision_steps.append(steps.get("vision", 0.0))
                shown = ", ".join(f"{k} {v:.1f} s" for k, v in steps.items())
                print(f"round {r + 1}, vision {'on ' if vision else 'off'}: upload to SUCCESS {seconds:.1f} s ({shown})")
        on, off = statistics.median(totals[True]), statistics.median(totals[False])
        step = statistics.median(vision_steps)
        print(f"median: vision on {on:.1f} s, off {off:.1f} s; vision adds {on - off:.1f} s = "
              f"{(on - off) / run.SECONDS:.2f}x the video's {run.SECONDS:.0f} s (goal <= 1x); the vision step itself {step:.1f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
