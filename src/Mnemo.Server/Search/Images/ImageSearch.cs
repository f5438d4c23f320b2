using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Assets;
using Mnemo.Server.Errors;
using Mnemo.Server.Search.Semantic;
using Mnemo.Server.Storage;
using Mnemo.Server.Understanding;

namespace Mnemo.Server.Search.Images;

/// <summary>
/// Search by image: the query picture's features against every stored picture of the environment's ready assets,
/// an exact scan (one SIMD dot product per picture); a video's neighbouring matching frames make one moment.
/// </summary>
public sealed class ImageSearch(MnemoDb db, ImageFeatures features)
{
    /// <summary>A search inside one project environment; the picture is a file on disk (the upload, already received).</summary>
    public sealed record Query(Guid EnvironmentId, string ImagePath, int TopK, double MinScore)
    {
        /// <summary>memories v1 unique_id; null searches every namespace.</summary>
        public string? Namespace { get; init; }

        /// <summary>Only these assets; null searches them all, an empty set finds nothing.</summary>
        public IReadOnlyCollection<long>? AssetIds { get; init; }
    }

    /// <summary>An image, or a moment of a video, that looks like the query; times null for an image.</summary>
    public sealed record Hit(
        long AssetId, Guid FileId, string FileName, string? MimeType, AssetKind? Kind, long FeatureId, int FrameIndex,
        double? StartTime, double? EndTime, double? Duration, double Score, string? ReferenceId, string? MetadataJson);

    private sealed record Candidate(long Id, Guid FileId, string FileName, string? MimeType, AssetKind? Kind, double? Duration, string? ReferenceId, string? MetadataJson);

    /// <summary>Fails (503) before anything is charged when the model cannot run here.</summary>
    public void EnsureAvailable()
    {
        if (!features.Available)
        {
            throw new DependencyUnavailableException(
                $"Search by image needs the {ImageFeatures.ModelName} model, which is not installed or turned off (Mnemo:Understanding:ImageFeatures).");
        }
    }

    public async Task<IReadOnlyList<Hit>> SearchAsync(Query query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var probe = await QueryVectorAsync(query.ImagePath, ct);
        var assets = db.Set<Asset>().AsNoTracking()
            .Where(a => a.EnvironmentId == query.EnvironmentId && a.DeletedAt == null && a.Status == AssetStatus.Ready);
        if (query.Namespace is { } ns)
        {
            assets = assets.Where(a => a.Namespace == ns);
        }

        if (query.AssetIds is { } ids)
        {
            var chosen = ids.ToList();
            assets = assets.Where(a => chosen.Contains(a.Id));
        }

        var rows = from f in db.Set<ImageFeature>().AsNoTracking()
                   join a in assets on f.AssetId equals a.Id
                   select new { f.Id, f.AssetId, f.FrameIndex, f.AtSeconds, f.Vector };
        var frames = new Dictionary<long, List<FrameMatch>>();
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            var stored = Vectors.FromBytes(row.Vector);
            if (stored.Length != probe.Length)
            {
                continue; // features of another model: not comparable
            }

            var score = ImageScore.Of(Vectors.Dot(probe, stored));
            if (!frames.TryGetValue(row.AssetId, out var list))
            {
                frames[row.AssetId] = list = [];
            }

            list.Add(new FrameMatch(row.Id, row.FrameIndex, row.AtSeconds, score));
        }

        // Only assets with a picture over the floor can have a hit; their details are read for those alone.
        var matched = frames.Where(kv => kv.Value.Any(f => f.Score >= ImageScore.Floor)).Select(kv => kv.Key).ToList();
        if (matched.Count == 0)
        {
            return [];
        }

        var about = await assets.Where(a => matched.Contains(a.Id))
            .Select(a => new Candidate(a.Id, a.FileId, a.OriginalFilename, a.MimeType, a.Media.Kind, a.Media.DurationSeconds, a.ReferenceId, a.MetadataJson))
            .ToDictionaryAsync(c => c.Id, ct);
        return [.. about.Values
            .SelectMany(asset => ImageMoments.Merge(frames[asset.Id], asset.Duration, ImageScore.Floor).Select(moment => (asset, moment)))
            .Where(x => x.moment.Score >= query.MinScore)
            .OrderByDescending(x => x.moment.Score).ThenBy(x => x.asset.Id).ThenBy(x => x.moment.StartSeconds)
            .Take(query.TopK)
            .Select(x => new Hit(
                x.asset.Id, x.asset.FileId, x.asset.FileName, x.asset.MimeType, x.asset.Kind, x.moment.FeatureId, x.moment.FrameIndex,
                x.moment.StartSeconds, x.moment.EndSeconds, x.asset.Duration, x.moment.Score, x.asset.ReferenceId, x.asset.MetadataJson))];
    }

    /// <summary>The query picture's unit vector; a file ffmpeg cannot decode as a picture is the caller's error.</summary>
    private async Task<float[]> QueryVectorAsync(string path, CancellationToken ct)
    {
        var work = Directory.CreateTempSubdirectory("mnemo-image-query-");
        try
        {
            var found = await features.OfAsync(path, null, work.FullName, ct);
            return Vectors.Unit(found.Vector);
        }
        catch (InvalidOperationException e) when (features.Available)
        {
            throw new ApiException(ApiError.Unprocessable($"The query image cannot be read: {e.Message}"));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
