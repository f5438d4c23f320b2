#!/usr/bin/env python3
"""Speech-to-text bench: word error rate (WER) and real-time factor (RTF) per engine.

Corpora:
  librivox  Debian's pocketsphinx-testdata: 5 read-speech recordings with reference transcripts.
  espeak-*  known sentences spoken by espeak-ng (default voice, and the Klatt voice the tests use).

Engines: the commands Mnemo runs (see src/Mnemo.Server/Understanding). Audio is converted by ffmpeg
to 16 kHz mono s16le WAV first, as the server does; RTF counts the engine only.

  apt-get install -y pocketsphinx pocketsphinx-en-us pocketsphinx-testdata espeak-ng ffmpeg
  python3 bench/speech/run.py            # prints a Markdown table
"""
import os, re, subprocess, sys, tempfile, time, wave

TESTDATA = "/usr/share/pocketsphinx/test/data/librivox"
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


def pocketsphinx(wav):
    out = subprocess.run(["pocketsphinx_continuous", "-infile", wav, "-time", "yes", "-logfn", "/dev/null"],
                         capture_output=True, text=True, check=True).stdout
    words = []
    for line in out.splitlines():
        p = line.split()
        if len(p) == 4 and re.fullmatch(r"[0-9.]+", p[1]) and not p[0].startswith(("<", "[", "++")):
            words.append(re.sub(r"\(\d+\)$", "", p[0]))
    return words


ENGINES = {"pocketsphinx (Debian 0.8+5prealpha, en-us)": pocketsphinx}


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
    with tempfile.TemporaryDirectory() as tmp:
        sets = corpora(tmp)
        print("| engine | corpus | files | audio s | WER | RTF |")
        print("|---|---|---|---|---|---|")
        for name, engine in ENGINES.items():
            for corpus, items in sets.items():
                errors = words = 0
                audio = busy = 0.0
                for wav, ref in items:
                    start = time.perf_counter()
                    hyp = engine(wav)
                    busy += time.perf_counter() - start
                    audio += seconds(wav)
                    e, n = wer(ref, hyp)
                    errors, words = errors + e, words + n
                print(f"| {name} | {corpus} | {len(items)} | {audio:.1f} | {errors / words:.1%} | {busy / audio:.2f} |")


if __name__ == "__main__":
    main()
