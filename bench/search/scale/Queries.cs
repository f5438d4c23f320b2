using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Mnemo.Bench.Scale;

/// <summary>
/// memic <c>POST /api/v1/search</c> (top_k 10), one at a time over one connection: a warm-up (unrelated.tsv),
/// then the questions of questions.tsv and paraphrases.tsv, then the same with a <c>file_ids</c> filter of
/// 10 random seeded files. Every measured query text is asked once only (the questions in a few spellings
/// that the words' side and an uncased model read alike), so the server embeds each question and its
/// question cache never answers. Prints one JSON line.
/// </summary>
public static class Queries
{
    private const int FilterFiles = 10;

    public static async Task<int> RunAsync(Options options)
    {
        var sets = options.Text("sets");
        var questions = Load(sets, "questions").Concat(Load(sets, "paraphrases")).ToList();
        var unrelated = Load(sets, "unrelated");
        var fileIds = (await File.ReadAllLinesAsync(options.Text("ids"))).Where(l => l.Length > 0).ToArray();
        var random = new Random(7);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 })
        {
            BaseAddress = new Uri(options.Text("url")),
            Timeout = TimeSpan.FromMinutes(2),
        };
        http.DefaultRequestHeaders.Add("X-API-Key", options.Text("key"));

        foreach (var q in unrelated.Concat(unrelated.Select(u => u.ToUpperInvariant())).Take(options.Number("warmup", 88)))
        {
            await SearchAsync(http, q, null);
        }

        Func<string, string>[] plain = [q => q, q => q.ToLowerInvariant(), q => q.TrimEnd('?', '.'), q => q.ToLowerInvariant().TrimEnd('?', '.'), q => q.ToUpperInvariant()];
        Func<string, string>[] filtered = [q => q.ToUpperInvariant().TrimEnd('?', '.'), q => "  " + q, q => "  " + q.ToLowerInvariant()];
        var open = await RunAsync(http, Texts(questions, plain, options.Number("queries", 300)), () => null);
        var narrow = await RunAsync(http, Texts(questions, filtered, options.Number("filtered", 100)),
            () => [.. Enumerable.Range(0, FilterFiles).Select(_ => fileIds[random.Next(fileIds.Length)])]);
        Console.WriteLine(JsonSerializer.Serialize(new { open, filtered = narrow }));
        return 0;
    }

    private sealed record Result(int N, double P50Ms, double P99Ms, double MeanMs, double ServerP50Ms, double MeanHits, string Route);

    private static IEnumerable<string> Texts(List<string> questions, Func<string, string>[] spellings, int n) =>
        spellings.SelectMany(s => questions.Select(s)).Take(n);

    private static async Task<Result> RunAsync(HttpClient http, IEnumerable<string> texts, Func<string[]?> files)
    {
        var times = new List<double>();
        var server = new List<double>();
        var hits = 0;
        var route = "";
        foreach (var text in texts)
        {
            var clock = Stopwatch.StartNew();
            var body = await SearchAsync(http, text, files());
            times.Add(clock.Elapsed.TotalMilliseconds);
            server.Add(body.GetProperty("search_time_ms").GetDouble());
            hits += body.GetProperty("total_results").GetInt32();
            route = body.GetProperty("routing").GetProperty("route").GetString() ?? "";
        }

        return new Result(times.Count, Round(Percentile(times, 50)), Round(Percentile(times, 99)), Round(times.Average()),
            Round(Percentile(server, 50)), Round((double)hits / times.Count), route);
    }

    private static async Task<JsonElement> SearchAsync(HttpClient http, string query, string[]? fileIds)
    {
        object body = fileIds is null ? new { query, top_k = 10 } : new { query, top_k = 10, file_ids = fileIds };
        using var response = await http.PostAsJsonAsync("/api/v1/search", body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"search: {(int)response.StatusCode} {text}");
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>The p-th percentile, nearest rank (bench/search/run.py's).</summary>
    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Round((p / 100 * sorted.Count) + 0.5, MidpointRounding.AwayFromZero) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    private static double Round(double x) => Math.Round(x, 1);

    /// <summary>The question column of bench/search/&lt;name&gt;.tsv (a header line, tab separated).</summary>
    private static List<string> Load(string directory, string name) =>
        [.. File.ReadLines(Path.Combine(directory, name + ".tsv")).Skip(1)
            .Select(l => l.Split('\t')[0]).Where(q => q.Length > 0)];
}
