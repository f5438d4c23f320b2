#!/usr/bin/env python3
"""People bench: how well faceres' descriptions, clustered as the server clusters them, keep people apart.

Faces: the real photos of people that Debian packages ship, each under several variants a camera or an upload would
produce (mirrored, smaller, brighter, darker, tilted, recompressed, cropped, grey):
  - darknet            data/person.jpg                     a woman beside a horse and a dog
  - python3-skimage    skimage/data/astronaut.png           Eileen Collins (NASA portrait)
  - python3-skimage    skimage/data/camera.png              "cameraman" (grey)
  - opencv-doc         examples/data/messi5.jpg             a footballer
  - opencv-doc         examples/data/basketball1.png, 2.png one player in two consecutive frames
darknet is installed by scripts/setup; the other two packages are fetched with `apt-get download` into a cache folder
and unpacked with `dpkg -x` (nothing is installed). Each picture is written by ffmpeg as RGB of at most 800 px a side
and read by the very program the server runs (VisionScript.cs); a face counts as the server counts it (blazeface
score >= 0.5, at least 24 px, its centre on a centernet `person` >= 0.3; the largest if several), labelled with the
photo's person. Then: the cosine of every pair (same person / different people), and the server's incremental
clustering (a face joins the nearest centroid at or above the threshold, else starts a person; centroids are running
means) over 20 shuffled orders, for each threshold: purity (share of faces in a cluster whose majority person is
theirs), inverse purity (share of faces in the largest cluster of their person) and the number of clusters.
Needs: ffmpeg, node, darknet, apt-get, scripts/install-vision.

    bench/vision/people.py [--cache DIR]
"""
import argparse, glob, json, math, os, random, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run  # noqa: E402  (the engine's script, read from VisionScript.cs)

ENGINE = os.path.expanduser("~/.local/share/mnemo/vision")
VARIANTS = {
    "original": "null",
    "mirrored": "hflip",
    "smaller": "scale=iw*0.6:-2",
    "brighter": "eq=brightness=0.12",
    "darker": "eq=brightness=-0.12:contrast=0.9",
    "tilted": "rotate=5*PI/180:fillcolor=black",
    "cropped": "crop=iw*0.8:ih*0.8",
    "grey": "format=gray",
}
JPEG_AGAIN = "recompressed"  # a JPEG at quality 28 (-q:v 12), then read back


def packages(cache):
    os.makedirs(cache, exist_ok=True)
    out = {}
    for name in ("python3-skimage", "opencv-doc"):
        root = os.path.join(cache, name)
        if not os.path.isdir(root):
            subprocess.run(["apt-get", "download", "-qq", name], cwd=cache, check=True)
            deb = sorted(glob.glob(os.path.join(cache, name + "_*.deb")))[-1]
            subprocess.run(["dpkg", "-x", deb, root], check=True)
        out[name] = root
    return out


def photos(cache):
    p = packages(cache)
    sk = os.path.join(p["python3-skimage"], "usr/lib/python3/dist-packages/skimage/data")
    cv = os.path.join(p["opencv-doc"], "usr/share/doc/opencv-doc/examples/data")
    return [
        ("woman", "/usr/share/darknet/data/person.jpg"),
        ("astronaut", os.path.join(sk, "astronaut.png")),
        ("cameraman", os.path.join(sk, "camera.png")),
        ("footballer", os.path.join(cv, "messi5.jpg")),
        ("basketball", os.path.join(cv, "basketball1.png")),
        ("basketball", os.path.join(cv, "basketball2.png")),
    ]


def pictures(work, cache):
    out = []
    for i, (who, path) in enumerate(photos(cache)):
        for name, vf in list(VARIANTS.items()) + [(JPEG_AGAIN, "null")]:
            src = path
            if name == JPEG_AGAIN:
                src = os.path.join(work, f"{i}-again.jpg")
                subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", path, "-q:v", "12", src], check=True)
            ppm = os.path.join(work, f"{i}-{name}.ppm")
            subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", src, "-frames:v", "1",
                            "-vf", vf + ",scale=w='min(800,iw)':h='min(800,ih)':force_original_aspect_ratio=decrease",
                            "-pix_fmt", "rgb24", ppm], check=True)
            out.append((who, f"{os.path.basename(path)} {name}", ppm))
    return out


def on_person(face, objects):
    x, y, w, h = face["box"]
    cx, cy = x + w / 2, y + h / 2
    return any(o["class"] == "person" and o["score"] >= 0.3 and o["box"][0] <= cx <= o["box"][0] + o["box"][2]
               and o["box"][1] <= cy <= o["box"][1] + o["box"][3] for o in objects)


def unit(v):
    n = math.sqrt(sum(x * x for x in v))
    return [x / n for x in v] if n else v


def dot(a, b):
    return sum(x * y for x, y in zip(a, b))


def cluster(faces, threshold):
    """The server's rule (People/PeopleStore.cs): nearest centroid at or above the threshold, else a new person."""
    sums, counts, centroids, labels = [], [], [], []
    for f in faces:
        best, best_cos = None, threshold
        for k, c in enumerate(centroids):
            cos = dot(c, f)
            if cos >= best_cos:
                best, best_cos = k, cos
        if best is None:
            sums.append(list(f)); counts.append(1); centroids.append(list(f)); labels.append(len(centroids) - 1)
        else:
            sums[best] = [a + b for a, b in zip(sums[best], f)]; counts[best] += 1; centroids[best] = unit(sums[best])
            labels.append(best)
    return labels


def scores(truth, labels):
    n = len(truth)
    clusters = {}
    for t, l in zip(truth, labels):
        clusters.setdefault(l, []).append(t)
    purity = sum(max(c.count(t) for t in set(c)) for c in clusters.values()) / n
    people = {}
    for t, l in zip(truth, labels):
        people.setdefault(t, []).append(l)
    inverse = sum(max(p.count(l) for l in set(p)) for p in people.values()) / n
    return purity, inverse, len(clusters)


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--cache", default=os.path.expanduser("~/.cache/mnemo-bench/people"))
    args = a.parse_args()
    work = tempfile.mkdtemp(prefix="mnemo-people-bench-")
    pics = pictures(work, args.cache)
    proc = subprocess.Popen(["node", "--input-type=module", "-e", run.script(), ENGINE],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    proc.stdout.readline()
    faces, missed, animals = [], [], 0
    for i, (who, name, ppm) in enumerate(pics):
        proc.stdin.write(json.dumps({"id": i, "path": ppm}) + "\n")
        proc.stdin.flush()
        answer = json.loads(proc.stdout.readline())
        kept = [f for f in answer["faces"] if f["score"] >= 0.5 and min(f["box"][2], f["box"][3]) >= 24 and f.get("embedding")]
        animals += sum(1 for f in kept if not on_person(f, answer["objects"]))
        kept = [f for f in kept if on_person(f, answer["objects"])]
        if not kept:
            missed.append(name)
            continue
        face = max(kept, key=lambda f: f["box"][2] * f["box"][3])
        faces.append((who, name, unit(face["embedding"])))
    # darknet's animals: blazeface finds "faces" on them; the person rule must drop every one.
    beasts, beasts_kept = 0, 0
    for k, animal in enumerate(["dog", "eagle", "giraffe", "horses", "kite"]):
        ppm = os.path.join(work, f"animal-{animal}.ppm")
        subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", f"/usr/share/darknet/data/{animal}.jpg", "-vf",
                        "scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2", "-pix_fmt", "rgb24", ppm], check=True)
        proc.stdin.write(json.dumps({"id": 1000 + k, "path": ppm}) + "\n")
        proc.stdin.flush()
        answer = json.loads(proc.stdout.readline())
        found = [f for f in answer["faces"] if f["score"] >= 0.5 and min(f["box"][2], f["box"][3]) >= 24]
        beasts += len(found)
        beasts_kept += sum(1 for f in found if on_person(f, answer["objects"]))
    proc.stdin.close()
    proc.wait()

    print(f"pictures: {len(pics)}, faces kept: {len(faces)}, people: {len({f[0] for f in faces})}, "
          f"no face kept: {len(missed)} ({', '.join(missed)}), faces not on a person: {animals}")
    print(f"darknet's animal photos (dog, eagle, giraffe, horses, kite at 640x480): {beasts} blazeface faces >= 0.5, {beasts_kept} on a person (kept)")
    same, other = [], []
    for i in range(len(faces)):
        for j in range(i + 1, len(faces)):
            (faces_i, faces_j) = (faces[i], faces[j])
            (same if faces_i[0] == faces_j[0] else other).append(dot(faces_i[2], faces_j[2]))
    same.sort(); other.sort()
    pct = lambda xs, q: xs[min(len(xs) - 1, int(q * len(xs)))]
    print(f"same person:      {len(same)} pairs, cosine min {same[0]:.3f}, 5th pct {pct(same, 0.05):.3f}, median {pct(same, 0.5):.3f}")
    print(f"different people: {len(other)} pairs, cosine max {other[-1]:.3f}, 95th pct {pct(other, 0.95):.3f}, median {pct(other, 0.5):.3f}")
    print("threshold  purity  inverse-purity  clusters (mean of 20 orders; worst purity)")
    truth = [f[0] for f in faces]
    for t in [0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80]:
        results = []
        for seed in range(20):
            order = list(range(len(faces)))
            random.Random(seed).shuffle(order)
            labels = cluster([faces[k][2] for k in order], t)
            results.append(scores([truth[k] for k in order], labels))
        p = sum(r[0] for r in results) / len(results)
        inv = sum(r[1] for r in results) / len(results)
        c = sum(r[2] for r in results) / len(results)
        print(f"  {t:.2f}     {p:.3f}   {inv:.3f}           {c:.1f}  ({min(r[0] for r in results):.3f})")


if __name__ == "__main__":
    main()
