#!/usr/bin/env python3
"""Speech-to-text bench: word error rate (WER), real-time factor (RTF) and peak memory per engine.

Corpora:
  librivox         Debian's pocketsphinx-testdata: 5 read-speech recordings with reference transcripts.
  librivox joined  the same 5 recordings as one 24.7 s file (one engine start; long-file behaviour).
  espeak-*         known sentences spoken by espeak-ng (default voice, and the Klatt voice the tests use).

Engines: the commands Mnemo runs (see src/Mnemo.Server/Understanding). Audio is converted by ffmpeg
to 16 kHz mono s16le WAV first, as the server does; RTF counts the engine process only, model load
included: wall-clock seconds, and CPU seconds (user + system, steadier on a busy machine) per audio second. Moonshine runs the very program the server runs (read from MoonshineScript.cs).

  apt-get install -y pocketsphinx pocketsphinx-en-us pocketsphinx-testdata espeak-ng ffmpeg nodejs npm
  (Moonshine: the one-line npm install in docs/understanding.md; MNEMO_MOONSHINE_DIR if not the default dir)
  python3 bench/speech/run.py            # prints a Markdown table
"""
import os, re, subprocess, sys, tempfile, time, wave

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = "/usr/share/pocketsphinx/test/data/librivox"
MOONSHINE_DIR = os.environ.get("MNEMO_MOONSHINE_DIR", os.path.expanduser("~/.local/share/mnemo/moonshine"))
MOONSHINE_CS = os.path.join(HERE, "..", "..", "src", "Mnemo.Server", "Understanding", "MoonshineScript.cs")
SENTENCES = [
    "the weather today is good and the water is cold",
    "please open the door and turn on the light",
    "we will meet at the train station tomorrow morning",
    "the quick brown fox jumps over the lazy dog",
    "my phone number is on the back of the card",
    "she bought three apples and a loaf of bread",
    "the meeting starts at ten in the small room",
    "turn left at the end of the street",
]
NUMBERS = "zero one two three four five six seven eight nine ten eleven twelve".split()
SPELLED = {"mr": "mister", "mrs": "missus", "dr": "doctor"}


def run(command):
    """stdout, peak RSS (MB) and CPU seconds of one engine process."""
    p = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise RuntimeError(f"{command[0]} exited {p.returncode}")
    return out, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def pocketsphinx(wav):
    out, *cost = run(["pocketsphinx_continuous", "-infile", wav, "-time", "yes", "-logfn", "/dev/null"])
    words = []
    for line in out.splitlines():
        p = line.split()
        if len(p) == 4 and re.fullmatch(r"[0-9.]+", p[1]) and not p[0].startswith(("<", "[", "++")):
            words.append(re.sub(r"\(\d+\)$", "", p[0]))
    return words, *cost


def moonshine_script():
    source = open(MOONSHINE_CS).read()
    body = source.split('"""')[1].strip("\n")
    return "\n".join(line[8:] for line in body.split("\n"))


def moonshine(wav, script=[]):
    if not script:
        script.append(moonshine_script())
    out, *cost = run(["node", "--input-type=module", "-e", script[0], MOONSHINE_DIR, wav])
    return [line.split("\t")[2] for line in out.splitlines() if line.count("\t") == 2], *cost


def normalize(words):
    """Lower case, no punctuation, hyphens split, Mr. and 10 spelled out: both engines scored alike."""
    out = []
    for w in " ".join(words).lower().replace("-", " ").split():
        w = re.sub(r"[^a-z0-9']", "", w).strip("'")
        w = SPELLED.get(w, w)
        if w.isdigit() and int(w) < len(NUMBERS):
            w = NUMBERS[int(w)]
        if w:
            out.append(w)
    return out


ENGINES = {"pocketsphinx (Debian 0.8+5prealpha, en-us)": pocketsphinx}
if all(os.path.exists(os.path.join(MOONSHINE_DIR, f)) for f in ["node_modules/onnxruntime-node", "package/dist/model/tiny/quantized"]):
    ENGINES["moonshine tiny (npm, onnxruntime-node 1.30, 1 thread)"] = moonshine
else:
    print(f"note: Moonshine is not installed in {MOONSHINE_DIR} (see docs/understanding.md); not measured", file=sys.stderr)


def wer(ref, hyp):
    d = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, d[0] = d[0], i
        for j, h in enumerate(hyp, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (r != h))
    return d[len(hyp)], len(ref)


def to_wav(src, dst):
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", src, "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", dst], check=True)


def seconds(wav):
    with wave.open(wav) as w:
        return w.getnframes() / w.getframerate()


def corpora(tmp):
    sets = {}
    if os.path.isdir(TESTDATA):
        items = []
        for line in open(os.path.join(TESTDATA, "transcription")):
            m = re.match(r"<s> (.*) </s> \((.*)\)", line.strip())
            if m:
                wav = os.path.join(tmp, m.group(2) + ".wav")
                to_wav(os.path.join(TESTDATA, m.group(2) + ".wav"), wav)
                items.append((wav, m.group(1).split()))
        sets["librivox (pocketsphinx-testdata)"] = items
        joined = os.path.join(tmp, "librivox-joined.wav")
        with open(os.path.join(tmp, "list.txt"), "w") as f:
            f.writelines(f"file '{wav}'\n" for wav, _ in items)
        subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "concat", "-safe", "0", "-i", f.name, "-c", "copy", joined], check=True)
        sets["librivox, the 5 joined in one file"] = [(joined, [w for _, ref in items for w in ref])]
    else:
        print(f"note: {TESTDATA} missing (apt-get install -y pocketsphinx-testdata)", file=sys.stderr)
    for voice in ["en-us", "en-us+klatt"]:
        items = []
        for i, s in enumerate(SENTENCES):
            raw, wav = os.path.join(tmp, f"{voice}-{i}.raw.wav"), os.path.join(tmp, f"{voice}-{i}.wav")
            subprocess.run(["espeak-ng", "-v", voice, "-s", "140", "-w", raw, s], check=True)
            to_wav(raw, wav)
            items.append((wav, s.split()))
        sets[f"espeak-ng {voice}, 140 wpm"] = items
    return sets


def main():
    verbose = "-v" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        sets = corpora(tmp)
        print("| engine | corpus | files | audio s | WER | RTF (wall) | RTF (CPU) | peak MB |")
        print("|---|---|---|---|---|---|---|---|")
        for name, engine in ENGINES.items():
            for corpus, items in sets.items():
                errors = words = 0
                audio = busy = cpu = peak = 0.0
                for wav, ref in items:
                    start = time.perf_counter()
                    hyp, mb, seconds_cpu = engine(wav)
                    busy += time.perf_counter() - start
                    cpu += seconds_cpu
                    audio += seconds(wav)
                    peak = max(peak, mb)
                    e, n = wer(normalize(ref), normalize(hyp))
                    errors, words = errors + e, words + n
                    if verbose:
                        print(f"  {name} | {' '.join(hyp)}", file=sys.stderr)
                print(f"| {name} | {corpus} | {len(items)} | {audio:.1f} | {errors / words:.1%} | {busy / audio:.2f} | {cpu / audio:.2f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
