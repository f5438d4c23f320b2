#!/usr/bin/env python3
"""Vision bench: frames per second and peak memory of the vision step on this machine.

Builds a 60 s 720p silent slideshow from the real photos of Debian's darknet package (dog, eagle, giraffe, horses,
kite, person, scream; about 8.6 s each), samples it as the server does with its defaults (a frame every 2 s, plus the
keyframes at scene changes), lets ffmpeg write each frame as an RGB picture of at most 800 px a side, and runs the
very program the server runs (read from VisionScript.cs) over them in one process. Reports the time ffmpeg takes per
frame, the time detection takes per frame (after the models are loaded), the model load, and the sidecar's peak RSS.
Needs: ffmpeg, node, darknet, scripts/install-vision.
"""
import json, os, re, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT_CS = os.path.join(HERE, "..", "..", "src", "Mnemo.Server", "Understanding", "VisionScript.cs")
ENGINE = os.path.expanduser("~/.local/share/mnemo/vision")
PHOTOS = ["dog", "eagle", "giraffe", "horses", "kite", "person", "scream"]
SECONDS, INTERVAL = 60.0, 2.0


def script():
    body = open(SCRIPT_CS).read().split('"""')[1].strip("\n")
    return "\n".join(line[8:] for line in body.split("\n"))


def slideshow(video):
    """A 60 s 1280x720 silent H.264 video of the darknet photos, about 8.6 s each."""
    each = SECONDS / len(PHOTOS)
    inputs, chains = [], []
    for i, p in enumerate(PHOTOS):
        inputs += ["-loop", "1", "-t", f"{each:.3f}", "-i", f"/usr/share/darknet/data/{p}.jpg"]
        chains.append(f"[{i}]scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=30,format=yuv420p[v{i}];")
    graph = "".join(chains) + "".join(f"[v{i}]" for i in range(len(PHOTOS))) + f"concat=n={len(PHOTOS)}"
    subprocess.run(["ffmpeg", "-v", "error", "-y", *inputs, "-filter_complex", graph, "-an", "-c:v", "libx264", "-preset", "veryfast", video], check=True)


def main():
    work = tempfile.mkdtemp(prefix="mnemo-vision-bench-")
    video = os.path.join(work, "slideshow.mp4")
    slideshow(video)
    each = SECONDS / len(PHOTOS)

    times = sorted(set([round(i * INTERVAL, 3) for i in range(int(SECONDS / INTERVAL))] + [round(i * each, 3) for i in range(len(PHOTOS))]))
    kept = []
    for t in times:
        if not kept or t - kept[-1] >= 1:
            kept.append(t)
    started = time.perf_counter()
    frames = []
    for i, t in enumerate(kept):
        path = os.path.join(work, f"{i:03d}.ppm")
        subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-ss", str(t), "-i", video, "-frames:v", "1", "-an",
                        "-vf", "scale=w='min(800,iw)':h='min(800,ih)':force_original_aspect_ratio=decrease", "-pix_fmt", "rgb24", path], check=True)
        frames.append(path)
    decode_s = time.perf_counter() - started

    proc = subprocess.Popen(["/usr/bin/time", "-f", "%M %U %S", "node", "--input-type=module", "-e", script(), ENGINE],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    started = time.perf_counter()
    proc.stdout.readline()
    load_s = time.perf_counter() - started
    seen = {}
    started = time.perf_counter()
    for i, path in enumerate(frames):
        proc.stdin.write(json.dumps({"id": i, "path": path}) + "\n")
        proc.stdin.flush()
        answer = json.loads(proc.stdout.readline())
        for o in answer["objects"]:
            if o["score"] >= 0.35:
                seen[o["class"]] = seen.get(o["class"], 0) + 1
    detect_s = time.perf_counter() - started
    proc.stdin.close()
    proc.wait()
    rss_kb, user, system = proc.stderr.read().strip().split("\n")[-1].split()
    n = len(frames)
    print(f"frames: {n} of a {SECONDS:.0f} s 1280x720 video ({PHOTOS})")
    print(f"ffmpeg frame extraction: {1000 * decode_s / n:.0f} ms a frame")
    print(f"model load: {load_s:.2f} s; detection: {1000 * detect_s / n:.0f} ms a frame, {n / detect_s:.1f} frames/s")
    print(f"vision step (extraction + detection): {decode_s + detect_s:.1f} s for {SECONDS:.0f} s of video ({(decode_s + detect_s) / SECONDS:.2f}x its duration)")
    print(f"sidecar peak RSS: {int(rss_kb) / 1024:.0f} MB; CPU {float(user) + float(system):.1f} s")
    print("frames where each class was seen (score >= 0.35):", json.dumps(dict(sorted(seen.items()))))
    subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    sys.exit(main())
