using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Search.Semantic;
using Mnemo.Server.Storage;
using Mnemo.Server.Understanding;

namespace Mnemo.Server.Search.Images;

/// <summary>
/// What one picture of an asset looks like: the image itself (<see cref="AtSeconds"/> null) or a video's frame at a
/// time; <see cref="Vector"/> the unit-length feature vector (float32, little-endian, as search_entries.embedding).
/// </summary>
public sealed class ImageFeature
{
    public long Id { get; init; }
    public long AssetId { get; init; }
    public int FrameIndex { get; init; }
    public double? AtSeconds { get; init; }
    public required byte[] Vector { get; init; }
}

public static class ImageFeaturesModel
{
    public static void Configure(ModelBuilder model) => model.Entity<ImageFeature>(e =>
    {
        e.ToTable("image_features");
        e.Property(x => x.Id).HasColumnName("id");
        e.Property(x => x.AssetId).HasColumnName("asset_id");
        e.Property(x => x.FrameIndex).HasColumnName("frame_index");
        e.Property(x => x.AtSeconds).HasColumnName("at_seconds");
        e.Property(x => x.Vector).HasColumnName("vector");
        e.HasIndex(x => x.AssetId);
        e.HasOne<Assets.Asset>().WithMany().HasForeignKey(x => x.AssetId).OnDelete(DeleteBehavior.Cascade);
    });

    /// <summary>
    /// Inside the parse's commit: an earlier run's features go, this run's come (none when the parse failed or the
    /// step did not run), so an asset never answers with pictures it no longer has.
    /// </summary>
    public static async Task ReplaceAsync(MnemoDb db, long assetId, IReadOnlyList<FrameFeatures> features, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(features);
        await DeleteAsync(db, assetId, ct);
        db.Set<ImageFeature>().AddRange(features.OrderBy(f => f.AtSeconds).Select((f, i) =>
            new ImageFeature { AssetId = assetId, FrameIndex = i, AtSeconds = f.AtSeconds, Vector = Vectors.ToBytes(Vectors.Unit(f.Vector)) }));
    }

    /// <summary>What a deleted asset leaves: nothing (registered as one of its <see cref="Assets.DerivedRows"/>).</summary>
    public static Task<int> DeleteAsync(MnemoDb db, long assetId, CancellationToken ct) =>
        db.Set<ImageFeature>().Where(f => f.AssetId == assetId).ExecuteDeleteAsync(ct);
}
