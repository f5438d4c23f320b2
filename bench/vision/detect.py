#!/usr/bin/env python3
"""Detection precision and recall of the vision step on a labelled set of real photos.

The photos are Debian's darknet package's data/*.jpg; labels.tsv says which COCO classes each one shows
(`car|truck`: either name is right; `also_right`: classes that are not counted either way). Each photo is shown
to the very program the server runs (VisionScript.cs, one Node process) as the server would (RGB, at most 800 px a
side), and again in two variants a video frame may hold: scaled down to 400 px, and mirrored. An image is scored
by the set of classes found at or above a threshold (what search can find: "is there a giraffe in it"), at the
server's default (Mnemo:Understanding:MinVisionScore 0.35) and around it. Faces are reported per photo.
Needs: ffmpeg, node, darknet, scripts/install-vision.
"""
import csv, json, os, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the sidecar's script and engine folder)

HERE = os.path.dirname(os.path.abspath(__file__))
THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.5)
VARIANTS = {
    "as is": "scale=w='min(800,iw)':h='min(800,ih)':force_original_aspect_ratio=decrease",
    "400 px": "scale=w='min(400,iw)':h='min(400,ih)':force_original_aspect_ratio=decrease",
    "mirrored": "hflip,scale=w='min(800,iw)':h='min(800,ih)':force_original_aspect_ratio=decrease",
}


def labels():
    with open(f"{HERE}/labels.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            yield row["photo"], [set(c.split("|")) for c in row["classes"].split()], set(row["also_right"].split())


def score(rows, threshold):
    tp = fp = fn = 0
    for _, wanted, ignored, objects in rows:
        found = {o["class"] for o in objects if o["score"] >= threshold}
        for alternatives in wanted:
            if found & alternatives:
                tp += 1
            else:
                fn += 1
        named = set().union(*wanted) if wanted else set()
        fp += len(found - named - ignored)
    return tp, fp, fn


def main():
    work = tempfile.mkdtemp(prefix="mnemo-vision-detect-")
    proc = subprocess.Popen(["node", "--input-type=module", "-e", run.script(), run.ENGINE],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    proc.stdout.readline()
    results = {v: [] for v in VARIANTS}
    n = 0
    for photo, wanted, ignored in labels():
        for variant, vf in VARIANTS.items():
            path = os.path.join(work, f"{photo}-{n}.ppm")
            n += 1
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", f"/usr/share/darknet/data/{photo}.jpg", "-vf", vf,
                            "-pix_fmt", "rgb24", path], check=True)
            proc.stdin.write(json.dumps({"id": n, "path": path}) + "\n")
            proc.stdin.flush()
            answer = json.loads(proc.stdout.readline())
            results[variant].append((photo, wanted, ignored, answer["objects"]))
            if variant == "as is":
                seen = ", ".join(f"{o['class']} {o['score']:.2f}" for o in sorted(answer["objects"], key=lambda o: -o["score"]))
                faces = ", ".join(f"{f['score']:.2f}" for f in answer["faces"]) or "none"
                print(f"{photo:8} objects: {seen or 'none'}; faces: {faces}")
    proc.stdin.close()
    proc.wait()
    print()
    print("| threshold | " + " | ".join(f"{v}: precision / recall" for v in VARIANTS) + " | all: precision / recall |")
    print("|---|" + "---|" * (len(VARIANTS) + 1))
    summary = {}
    for t in THRESHOLDS:
        cells, total = [], [0, 0, 0]
        for v in VARIANTS:
            tp, fp, fn = score(results[v], t)
            total = [total[0] + tp, total[1] + fp, total[2] + fn]
            cells.append(f"{tp / max(1, tp + fp):.2f} / {tp / max(1, tp + fn):.2f} ({tp} right, {fp} wrong, {fn} missed)")
        tp, fp, fn = total
        summary[t] = {"precision": round(tp / max(1, tp + fp), 3), "recall": round(tp / max(1, tp + fn), 3)}
        cells.append(f"{summary[t]['precision']:.2f} / {summary[t]['recall']:.2f}")
        print(f"| {t} | " + " | ".join(cells) + " |")
    print(json.dumps(summary))
    subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    sys.exit(main())
