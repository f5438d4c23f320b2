// Usage: dotnet run -c Release --project bench/search/calibrate [-- bench/search]
// Embeds Debian's license texts as the server chunks them, then for each question of questions.tsv and
// paraphrases.tsv the cosine with the chunk that answers it (and that chunk's rank among all chunks:
// vector-only recall@5 and MRR@10), and for each question of unrelated.tsv (and a few one-word queries)
// the best cosine with any chunk. Fits the logistic curve of Search/Semantic/Calibration.cs so that the
// 95th percentile of unrelated questions scores 0.45 and the 10th percentile of answers scores 0.7.
using System.Globalization;
using System.Numerics.Tensors;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mnemo.Server.Processing;
using Mnemo.Server.Search.Semantic;

var folder = args.Length > 0 ? args[0] : "bench/search";
string Fold(string s) => Regex.Replace(s, @"\s+", " ").Trim().ToLowerInvariant();
List<string[]> Tsv(string name) => [.. File.ReadAllLines(Path.Combine(folder, name)).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t'))];

var questions = Tsv("questions.tsv").Select(r => (Set: "questions", Q: r[0], File: r[1], Answer: r[2]))
    .Concat(Tsv("paraphrases.tsv").Select(r => (Set: "paraphrases", Q: r[0], File: r[1], Answer: r[2]))).ToList();
var unrelated = Tsv("unrelated.tsv").Select(r => r[0])
    .Concat(["alpacas", "volcano", "sourdough", "penguins", "guitar chords", "tax refund", "giraffe", "hello"]).ToList();

using var embeddings = new Embeddings(Options.Create(new EmbedderOptions()), null!, NullLogger<Embeddings>.Instance);
var chunks = new List<(string File, string Text)>();
foreach (var file in questions.Select(q => q.File).Distinct())
{
    var text = File.ReadAllText(Path.Combine("/usr/share/common-licenses", file));
    chunks.AddRange(TextChunker.Split(text, null, 2000).Select(p => (file, p.Content)));
}

var clock = System.Diagnostics.Stopwatch.StartNew();
var windowChars = int.Parse(Environment.GetEnvironmentVariable("WINDOW") ?? "0", CultureInfo.InvariantCulture);
IEnumerable<string> Pieces(string text) => windowChars == 0 ? [text] : Embeddings.Windows(text, windowChars, int.MaxValue);
var pieces = chunks.ToDictionary(c => c.Text, c => Pieces(c.Text).ToList());
var chunkVectors = await embeddings.EmbedAsync(pieces.Values.SelectMany(p => p), CancellationToken.None);
Console.WriteLine($"{chunks.Count} chunks ({pieces.Values.Sum(p => p.Count)} pieces) embedded in {clock.Elapsed.TotalSeconds:0.0} s");
float Cos(float[] q, string text) => pieces[text].Max(p => TensorPrimitives.Dot(q, chunkVectors[p]));

var relevant = new List<double>();
foreach (var set in questions.GroupBy(q => q.Set))
{
    double hits5 = 0, mrr = 0, n = 0;
    foreach (var q in set)
    {
        var v = (await embeddings.QuestionAsync(q.Q, CancellationToken.None))!;
        var answer = Fold(q.Answer);
        var ranked = chunks.Select(c => (c, Cos: Cos(v, c.Text))).OrderByDescending(x => x.Cos).ToList();
        var rank = ranked.FindIndex(x => x.c.File == q.File && (Fold(x.c.Text).Contains(answer) || Fold(x.c.Text).Contains(answer[..Math.Min(40, answer.Length)]))) + 1;
        n++;
        hits5 += rank is > 0 and <= 5 ? 1 : 0;
        mrr += rank is > 0 and <= 10 ? 1.0 / rank : 0;
        if (rank > 0)
        {
            relevant.Add(ranked[rank - 1].Cos);
        }
    }

    Console.WriteLine($"{set.Key}: vector-only recall@5 {hits5 / n:0.000}, MRR@10 {mrr / n:0.000} ({n} questions)");
}

var noise = new List<double>();
foreach (var q in unrelated)
{
    var v = (await embeddings.QuestionAsync(q, CancellationToken.None))!;
    noise.Add(chunks.Max(c => Cos(v, c.Text)));
}

double P(List<double> xs, double p) { var s = xs.Order().ToList(); return s[(int)Math.Clamp(Math.Round(p * (s.Count - 1)), 0, s.Count - 1)]; }
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"answer cosine: min {relevant.Min():0.000} p10 {P(relevant, 0.1):0.000} p50 {P(relevant, 0.5):0.000}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"unrelated best cosine: p50 {P(noise, 0.5):0.000} p90 {P(noise, 0.9):0.000} p95 {P(noise, 0.95):0.000} max {noise.Max():0.000}"));
var (xu, xr) = (P(noise, 0.95), P(relevant, 0.1));
if (xr <= xu)
{
    Console.WriteLine("no separation: the 10th percentile of answers is below the 95th of unrelated questions");
    return;
}

var k = (Math.Log(0.7 / 0.3) - Math.Log(0.45 / 0.55)) / (xr - xu);
var m = xu - Math.Log(0.45 / 0.55) / k;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fit: Midpoint {m:0.000}, Slope {k:0.0}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"with it: answers ≥ 0.7: {relevant.Count(c => Calibrate(c) >= 0.7)}/{relevant.Count}; unrelated ≥ 0.5: {noise.Count(c => Calibrate(c) >= 0.5)}/{noise.Count}"));
double Calibrate(double c) => 1 / (1 + Math.Exp(-k * (c - m)));

// PAIRS=file (question<TAB>passage per line): prints each pair's cosine, to check a case by hand.
if (Environment.GetEnvironmentVariable("PAIRS") is { } pairsFile)
{
    foreach (var line in File.ReadAllLines(pairsFile).Where(l => l.Contains('\t', StringComparison.Ordinal)))
    {
        var parts = line.Split('\t');
        var q = (await embeddings.QuestionAsync(parts[0], CancellationToken.None))!;
        var p = (await embeddings.EmbedAsync([parts[1]], CancellationToken.None))[parts[1]];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{TensorPrimitives.Dot(q, p):0.000}  {parts[0]}  |  {parts[1][..Math.Min(60, parts[1].Length)]}"));
    }
}
