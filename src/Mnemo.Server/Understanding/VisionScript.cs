namespace Mnemo.Server.Understanding;

/// <summary>
/// The Node program <see cref="VisionEngine"/> keeps running (<c>node --input-type=module -e Source install-dir</c>):
/// Human (centernet over the 80 COCO classes, blazeface, faceres for a face's 1024-float description) on TensorFlow.js's WebAssembly backend, its models read from
/// the package's <c>models/</c> folder. It prints <c>{"ready":true,...}</c> once loaded, then answers each line
/// <c>{"id":..,"path":"frame.ppm"}</c> of stdin with one line <c>{"id":..,"objects":[{class,score,box}],"faces":[{score,box,embedding}]}</c>
/// (or <c>{"id":..,"error":".."}</c>). Boxes are x, y, width, height in pixels. Kept in the assembly so a published server carries it.
/// </summary>
internal static class VisionScript
{
    public const string Source = """
        import { createRequire } from "node:module";
        import { readFileSync } from "node:fs";
        import { join, resolve } from "node:path";
        import { createInterface } from "node:readline";
        import { fileURLToPath } from "node:url";

        const dir = resolve(process.argv.at(-1));
        const require = createRequire(join(dir, "package.json"));
        const modules = join(dir, "node_modules");

        // Human loads its models with fetch(); Node's fetch does not read file:// URLs, so those are served from disk.
        globalThis.fetch = async (input) => {
          const url = typeof input === "string" ? input : input.url ?? String(input);
          if (!url.startsWith("file://")) throw new Error("the vision engine fetches nothing from the network: " + url);
          const bytes = readFileSync(fileURLToPath(url));
          return new Response(bytes, { status: 200, headers: { "content-type": url.endsWith(".json") ? "application/json" : "application/octet-stream" } });
        };

        const H = require(join(modules, "@vladmandic", "human", "dist", "human.node-wasm.js"));
        const human = new H.Human({
          backend: "wasm",
          wasmPath: join(modules, "@tensorflow", "tfjs-backend-wasm", "dist") + "/",
          modelBasePath: "file://" + join(modules, "@vladmandic", "human", "models") + "/",
          debug: false, async: true, warmup: "none", cacheSensitivity: 0, filter: { enabled: false },
          face: { enabled: true, detector: { enabled: true, rotation: false, maxDetected: 20, minConfidence: 0.5, return: false },
            mesh: { enabled: false }, iris: { enabled: false }, description: { enabled: true, modelPath: "faceres.json" }, emotion: { enabled: false },
            antispoof: { enabled: false }, liveness: { enabled: false }, attention: { enabled: false } },
          body: { enabled: false }, hand: { enabled: false }, gesture: { enabled: false }, segmentation: { enabled: false },
          object: { enabled: true, modelPath: "centernet.json", minConfidence: 0.2, maxDetected: 30 },
        });
        await human.load();
        await human.tf.ready();

        // A binary PPM (P6: header, then RGB bytes) is what the server hands over: ffmpeg writes it, nothing here decodes formats.
        function readPpm(path) {
          const b = readFileSync(path);
          const fields = [];
          let at = 0;
          while (fields.length < 4) {
            while (/\s/.test(String.fromCharCode(b[at]))) at++;
            if (b[at] === 0x23) { while (b[at] !== 0x0a) at++; continue; }
            const start = at;
            while (!/\s/.test(String.fromCharCode(b[at]))) at++;
            fields.push(b.toString("ascii", start, at));
          }
          if (fields[0] !== "P6" || fields[3] !== "255") throw new Error("not an 8-bit binary PPM: " + path);
          const [w, h] = [Number(fields[1]), Number(fields[2])];
          return { w, h, rgb: new Uint8Array(b.buffer, b.byteOffset + at + 1, w * h * 3) };
        }

        const round = v => Math.round(v * 1000) / 1000;
        async function detect(path) {
          const { w, h, rgb } = readPpm(path);
          const tensor = human.tf.tensor4d(Int32Array.from(rgb), [1, h, w, 3], "int32");
          try {
            const r = await human.detect(tensor);
            return {
              width: w, height: h,
              objects: r.object.map(o => ({ class: o.label, score: round(o.score), box: o.box.map(Math.round) })),
              faces: r.face.map(f => ({ score: round(f.boxScore ?? f.score), box: f.box.map(Math.round), embedding: f.embedding?.length ? Array.from(f.embedding, v => Math.round(v * 10000) / 10000) : null })),
            };
          } finally {
            tensor.dispose();
          }
        }

        process.stdout.write(JSON.stringify({ ready: true, backend: human.tf.getBackend(), version: human.version }) + "\n");
        const lines = createInterface({ input: process.stdin });
        for await (const line of lines) {
          if (!line.trim()) continue;
          let id = null;
          try {
            const request = JSON.parse(line);
            id = request.id;
            process.stdout.write(JSON.stringify({ id, ...(await detect(request.path)) }) + "\n");
          } catch (e) {
            process.stdout.write(JSON.stringify({ id, error: String(e?.message ?? e) }) + "\n");
          }
        }
        """;
}
