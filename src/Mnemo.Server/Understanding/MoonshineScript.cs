namespace Mnemo.Server.Understanding;

/// <summary>
/// The Node program <see cref="MoonshineEngine"/> runs (<c>node --input-type=module -e Source install-dir wav</c>):
/// Moonshine tiny's encoder and greedy decoder on onnxruntime-node, one pass per stretch of speech (found by
/// frame energy, at most 20 s), the tokens decoded with llama-tokenizer-js. It prints one line per word:
/// <c>start TAB end TAB word</c>, in seconds. Kept in the assembly, not beside it, so that a published server
/// carries it; bench/speech/run.py reads it from this file.
/// </summary>
internal static class MoonshineScript
{
    public const string Source = """
        import { createRequire } from "node:module";
        import { readFileSync } from "node:fs";
        import { join, resolve } from "node:path";
        import { pathToFileURL } from "node:url";

        const [dir, wavPath] = process.argv.slice(-2).map(p => resolve(p));
        const ort = createRequire(join(dir, "package.json"))("onnxruntime-node");
        const { default: tokenizer } = await import(pathToFileURL(join(dir, "node_modules", "llama-tokenizer-js", "llama-tokenizer.js")));
        const modelDir = join(dir, "package", "dist", "model", "tiny", "quantized");

        const RATE = 16000, FRAME = 480; // 30 ms frames
        const LAYERS = 6, HEADS = 8, HEAD_DIM = 36; // moonshine tiny
        const MAX_CHUNK_S = 20, BRIDGE_FRAMES = 20, PAD_FRAMES = 5; // pauses under 0.6 s stay inside a chunk: context helps

        // The samples stay 16-bit (2 bytes a sample, an hour is 115 MB); each piece becomes float when it is transcribed.
        function readWav(path) {
          const b = readFileSync(path);
          let at = 12;
          while (at + 8 <= b.length) {
            const id = b.toString("ascii", at, at + 4), size = b.readUInt32LE(at + 4);
            if (id === "data") {
              const n = Math.floor(Math.min(size, b.length - at - 8) / 2), out = new Int16Array(n);
              for (let i = 0; i < n; i++) out[i] = b.readInt16LE(at + 8 + 2 * i);
              return out;
            }
            at += 8 + size + (size & 1);
          }
          throw new Error("no data chunk in " + path);
        }

        // Frames louder than the noise floor are speech; runs of speech separated by short gaps form one chunk.
        function voicedFrames(audio) {
          const n = Math.floor(audio.length / FRAME), db = new Float32Array(n);
          for (let f = 0; f < n; f++) {
            let sum = 0;
            for (let i = f * FRAME; i < (f + 1) * FRAME; i++) sum += (audio[i] / 32768) ** 2;
            db[f] = Math.max(-90, 10 * Math.log10(sum / FRAME + 1e-12));
          }
          const floor = [...db].sort((a, b) => a - b)[Math.floor(n * 0.1)] ?? -90;
          return { db, voiced: Array.from(db, d => d > Math.max(floor + 12, -55)) };
        }

        function chunks({ db, voiced }) {
          const out = [];
          let start = -1, last = -1;
          const close = () => {
            let s = Math.max(0, start - PAD_FRAMES), e = Math.min(voiced.length, last + 1 + PAD_FRAMES);
            const max = Math.floor((MAX_CHUNK_S * RATE) / FRAME);
            while (e - s > max) { // too long for one pass: cut at the quietest frame of its second half
              let cut = s + (max >> 1);
              for (let f = cut; f < s + max; f++) if (db[f] < db[cut]) cut = f;
              out.push([s, cut]);
              s = cut;
            }
            out.push([s, e]);
          };
          voiced.forEach((v, f) => {
            if (!v) return;
            if (start >= 0 && f - last > BRIDGE_FRAMES) close(), (start = -1);
            if (start < 0) start = f;
            last = f;
          });
          if (start >= 0) close();
          return out;
        }

        const options = { intraOpNumThreads: 1, interOpNumThreads: 1 }; // one core per run, like the other engines
        const encoder = await ort.InferenceSession.create(join(modelDir, "encoder_model.onnx"), options);
        const decoder = await ort.InferenceSession.create(join(modelDir, "decoder_model_merged.onnx"), options);

        async function transcribe(audio) {
          const { last_hidden_state } = await encoder.run({ input_values: new ort.Tensor("float32", audio, [1, audio.length]) });
          const past = {};
          for (let i = 0; i < LAYERS; i++)
            for (const a of ["decoder", "encoder"])
              for (const b of ["key", "value"])
                past[`past_key_values.${i}.${a}.${b}`] = new ort.Tensor("float32", new Float32Array(0), [0, HEADS, 1, HEAD_DIM]);
          const tokens = [1];
          const maxTokens = Math.trunc((audio.length / RATE) * 6);
          for (let step = 0; step < maxTokens; step++) {
            const out = await decoder.run({
              input_ids: new ort.Tensor("int64", BigInt64Array.from([BigInt(tokens.at(-1))]), [1, 1]),
              encoder_hidden_states: last_hidden_state,
              use_cache_branch: new ort.Tensor("bool", [step > 0], [1]),
              ...past,
            });
            const logits = out.logits.data, vocab = out.logits.dims[2], from = logits.length - vocab;
            let best = from;
            for (let i = from; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
            const next = best - from;
            if (next === 2) break; // end of text
            tokens.push(next);
            for (const [name, value] of Object.entries(out))
              if (name.startsWith("present.") && (step === 0 || name.includes(".decoder.")))
                past[name.replace("present.", "past_key_values.")] = value;
          }
          return tokenizer.decode(tokens.slice(1), false);
        }

        // Word times are not in the model's output: each word gets the share of the chunk's voiced time that its letters have.
        function timeWords(text, s, e, voiced) {
          const words = text.split(/\s+/).filter(w => /[\p{L}\p{N}]/u.test(w));
          const frames = [];
          for (let f = s; f < e; f++) if (voiced[f]) frames.push(f);
          if (words.length === 0 || frames.length === 0) return [];
          const total = words.reduce((n, w) => n + w.length + 1, 0);
          const at = share => (frames[Math.min(frames.length - 1, Math.floor(share * frames.length))] * FRAME) / RATE;
          let done = 0, previousEnd = 0;
          return words.map(w => {
            const start = Math.max(at(done / total), previousEnd);
            done += w.length + 1;
            previousEnd = Math.max(start, at((done - 1) / total)) + FRAME / RATE;
            return [start, previousEnd, w];
          });
        }

        const audio = readWav(wavPath);
        const frames = voicedFrames(audio);
        for (const [s, e] of chunks(frames)) {
          const samples = audio.subarray(s * FRAME, e * FRAME);
          const piece = new Float32Array(Math.max(samples.length, RATE)); // a very short piece is padded to 1 s with silence
          samples.forEach((v, i) => (piece[i] = v / 32768));
          const text = await transcribe(piece);
          for (const [start, end, word] of timeWords(text, s, e, frames.voiced))
            process.stdout.write(`${start.toFixed(2)}\t${end.toFixed(2)}\t${word}\n`);
        }
        """;
}
