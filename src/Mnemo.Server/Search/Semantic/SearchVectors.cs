using System.Collections.Concurrent;

namespace Mnemo.Server.Search.Semantic;

/// <summary>One ready asset's vectors, in entry-id order: replaced whole whenever the asset changes.</summary>
public sealed record AssetVectors(
    long AssetId, Guid EnvironmentId, DateTime UpdatedAt, long[] EntryIds, SearchEntryKind[] Kinds, int[] Pages, float[] Matrix)
{
    /// <summary>Marks an entry without a page (the page filters skip it, as SQL's comparisons with NULL do).</summary>
    public const int NoPage = int.MinValue;

    public int Count => EntryIds.Length;
}

/// <summary>Which entries a vector search may return (applied while scanning, not after a top-k cut).</summary>
public sealed record VectorFilter(IReadOnlySet<long>? AssetIds, bool TranscriptsOnly, int? PageMin, int? PageMax)
{
    public bool Admits(AssetVectors asset, int i)
    {
        if (TranscriptsOnly && asset.Kinds[i] != SearchEntryKind.Transcript)
        {
            return false;
        }

        var page = asset.Pages[i];
        return (PageMin is not { } min || (page != AssetVectors.NoPage && page >= min))
            && (PageMax is not { } max || (page != AssetVectors.NoPage && page <= max));
    }
}

/// <summary>A vector candidate: the entry, its asset and the cosine with the question.</summary>
public readonly record struct VectorHit(long EntryId, long AssetId, float Cosine);

/// <summary>
/// Every embedded entry of every ready asset, in memory, grouped per project environment and asset, and
/// searched exactly: one SIMD dot product per vector (they are unit length, so it is the cosine), both cores
/// on large environments. Kept in step with the database by <see cref="VectorSync"/>.
/// </summary>
public sealed class SearchVectors
{
    /// <summary>Below this many vectors in the scan, one thread is faster than splitting the work.</summary>
    private const int ParallelFrom = 16_384;

    private readonly ConcurrentDictionary<long, AssetVectors> assets = new();
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<long, AssetVectors>> environments = new();
    private long count;

    /// <summary>True once the vectors stored at start are in memory; until then search is by words only.</summary>
    public bool Loaded { get; private set; }

    public long Count => Interlocked.Read(ref count);

    public int AssetCount => assets.Count;

    public AssetVectors? Of(long assetId) => assets.GetValueOrDefault(assetId);

    public void MarkLoaded() => Loaded = true;

    public void Put(AssetVectors vectors)
    {
        if (vectors.Count == 0)
        {
            Remove(vectors.AssetId);
            return;
        }

        var previous = assets.GetValueOrDefault(vectors.AssetId);
        assets[vectors.AssetId] = vectors;
        environments.GetOrAdd(vectors.EnvironmentId, _ => new())[vectors.AssetId] = vectors;
        Interlocked.Add(ref count, vectors.Count - (previous?.Count ?? 0));
    }

    public void Remove(long assetId)
    {
        if (assets.TryRemove(assetId, out var removed))
        {
            if (environments.TryGetValue(removed.EnvironmentId, out var environment))
            {
                environment.TryRemove(assetId, out _);
            }

            Interlocked.Add(ref count, -removed.Count);
        }
    }

    /// <summary>The cosine of one entry with the question, when the entry has a vector in memory.</summary>
    public float? Cosine(long assetId, long entryId, float[] query)
    {
        if (!assets.TryGetValue(assetId, out var asset))
        {
            return null;
        }

        var i = Array.BinarySearch(asset.EntryIds, entryId);
        var d = query.Length;
        return i < 0 || asset.Matrix.Length != asset.Count * d ? null : Vectors.Dot(query, asset.Matrix.AsSpan(i * d, d));
    }

    /// <summary>The <paramref name="k"/> entries of the environment nearest the question, nearest first.</summary>
    public IReadOnlyList<VectorHit> Nearest(Guid environmentId, float[] query, int k, VectorFilter filter)
    {
        if (!environments.TryGetValue(environmentId, out var environment))
        {
            return [];
        }

        var candidates = filter.AssetIds is { } ids
            ? ids.Select(id => environment.GetValueOrDefault(id)).OfType<AssetVectors>().ToArray()
            : environment.Values.ToArray();
        var total = candidates.Sum(c => (long)c.Count);
        if (total == 0)
        {
            return [];
        }

        var parts = total < ParallelFrom ? 1 : Math.Min(Environment.ProcessorCount, 8);
        var heaps = new PriorityQueue<VectorHit, float>[parts];
        if (parts == 1)
        {
            heaps[0] = Scan(candidates, 0, 1, query, k, filter);
        }
        else
        {
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p => heaps[p] = Scan(candidates, p, parts, query, k, filter));
        }

        return [.. heaps.SelectMany(h => h.UnorderedItems.Select(x => x.Element))
            .OrderByDescending(h => h.Cosine).ThenBy(h => h.EntryId).Take(k)];
    }

    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> (every parts-th asset), keeping the best k in a min-heap.</summary>
    private static PriorityQueue<VectorHit, float> Scan(AssetVectors[] candidates, int part, int parts, float[] query, int k, VectorFilter filter)
    {
        var heap = new PriorityQueue<VectorHit, float>(k + 1);
        var d = query.Length;
        for (var a = part; a < candidates.Length; a += parts)
        {
            var asset = candidates[a];
            if (asset.Matrix.Length != asset.Count * d)
            {
                continue; // vectors of another model (a different width): not comparable
            }

            var matrix = asset.Matrix.AsSpan();
            for (var i = 0; i < asset.Count; i++)
            {
                if (!filter.Admits(asset, i))
                {
                    continue;
                }

                var cosine = Vectors.Dot(query, matrix.Slice(i * d, d));
                if (heap.Count < k)
                {
                    heap.Enqueue(new VectorHit(asset.EntryIds[i], asset.AssetId, cosine), cosine);
                }
                else if (cosine > heap.Peek().Cosine)
                {
                    heap.EnqueueDequeue(new VectorHit(asset.EntryIds[i], asset.AssetId, cosine), cosine);
                }
            }
        }

        return heap;
    }
}
