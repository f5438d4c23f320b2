using System.Diagnostics;
using Mnemo.Server.Search;
using Mnemo.Server.Search.Semantic;

namespace Mnemo.Bench.Scale;

/// <summary>
/// The vector side alone, in this process: the server's own <see cref="SearchVectors"/> holding N synthetic
/// vectors in assets of 500 (as <see cref="VectorSync"/> would load them), asked for the 50 nearest (what a
/// top_k 10 search asks) of question-like vectors, over everything and over 10 assets. Until the server
/// embeds questions, this is what the hybrid search will add to the HTTP numbers.
/// </summary>
public static class Scan
{
    public static int Run(Options options)
    {
        var chunks = options.Number("chunks", 10_000);
        var perAsset = options.Number("per-asset", 500);
        var queries = options.Number("queries", 100);
        var generator = new SyntheticVectors(options.Number("seed", 42), options.Number("clusters", 2000), spread: 0.6f);
        var index = new SearchVectors();
        var environment = Guid.NewGuid();
        var d = SyntheticVectors.Dimensions;
        long entry = 0;
        var assets = new List<long>();
        for (long asset = 1, made = 0; made < chunks; asset++)
        {
            var n = (int)Math.Min(perAsset, chunks - made);
            var matrix = new float[n * d];
            generator.NextAsset();
            for (var i = 0; i < n; i++)
            {
                generator.Next(matrix.AsSpan(i * d, d));
            }

            index.Put(new AssetVectors(asset, environment, DateTime.UnixEpoch, [.. Enumerable.Range(0, n).Select(_ => ++entry)],
                new SearchEntryKind[n], Enumerable.Repeat(AssetVectors.NoPage, n).ToArray(), matrix));
            assets.Add(asset);
            made += n;
        }

        var random = new Random(11);
        var everything = new VectorFilter(null, false, null, null);
        for (var i = 0; i < 5; i++)
        {
            index.Nearest(environment, generator.Question(), 50, everything);
        }

        var open = Time(queries, () => index.Nearest(environment, generator.Question(), 50, everything));
        var narrow = Time(queries, () => index.Nearest(environment, generator.Question(), 50,
            new VectorFilter(Enumerable.Range(0, 10).Select(_ => assets[random.Next(assets.Count)]).ToHashSet(), false, null, null)));
        Console.WriteLine(FormattableString.Invariant(
            $"{{\"vectors\":{index.Count},\"p50_ms\":{open.P50:0.00},\"p99_ms\":{open.P99:0.00},\"filtered_p50_ms\":{narrow.P50:0.00},\"filtered_p99_ms\":{narrow.P99:0.00},\"cores\":{Environment.ProcessorCount}}}"));
        return 0;
    }

    private static (double P50, double P99) Time(int n, Func<IReadOnlyList<VectorHit>> search)
    {
        var times = new List<double>(n);
        for (var i = 0; i < n; i++)
        {
            var clock = Stopwatch.StartNew();
            search();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return (times[Math.Min(n - 1, n / 2)], times[Math.Min(n - 1, (int)(n * 0.99))]);
    }
}
