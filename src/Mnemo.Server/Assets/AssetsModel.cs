using Microsoft.EntityFrameworkCore;

namespace Mnemo.Server.Assets;

public static class AssetsModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<Asset>(e =>
        {
            e.ToTable("assets");
            e.HasIndex(a => a.FileId).IsUnique();
            e.HasIndex(a => new { a.AccountId, a.Namespace, a.Id });
            e.HasIndex(a => a.UploadTokenHash);
            e.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(a => a.ProcessingStep).HasMaxLength(32);
            e.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(a => a.EnvironmentSlug).HasMaxLength(63);
            e.Property(a => a.Namespace).HasMaxLength(200);
            e.Property(a => a.OriginalFilename).HasMaxLength(500);
        });
        model.Entity<AssetChunk>(e =>
        {
            e.ToTable("asset_chunks");
            e.HasIndex(c => new { c.AssetId, c.IsTranscript, c.Index }).IsUnique();
        });
        model.Entity<AssetThumbnail>(e =>
        {
            e.ToTable("asset_thumbnails");
            e.HasIndex(t => new { t.AssetId, t.Index }).IsUnique();
        });
    }
}
