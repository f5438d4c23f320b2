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
            e.HasIndex(a => a.UpdatedAt); // the vector index's sync reads the assets changed lately
            e.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(a => a.ProcessingStep).HasMaxLength(32);
            // The media facts keep the columns they had as plain properties (Kind, DurationSeconds, ...), not Media_Kind.
            e.ComplexProperty(a => a.Media, m =>
            {
                m.Property(x => x.Kind).HasColumnName(nameof(MediaInfo.Kind)).HasConversion<string>().HasMaxLength(16);
                m.Property(x => x.DurationSeconds).HasColumnName(nameof(MediaInfo.DurationSeconds));
                m.Property(x => x.Fps).HasColumnName(nameof(MediaInfo.Fps));
                m.Property(x => x.Width).HasColumnName(nameof(MediaInfo.Width));
                m.Property(x => x.Height).HasColumnName(nameof(MediaInfo.Height));
                m.Property(x => x.Rotation).HasColumnName(nameof(MediaInfo.Rotation));
                m.Property(x => x.VideoCodec).HasColumnName(nameof(MediaInfo.VideoCodec));
                m.Property(x => x.AudioCodec).HasColumnName(nameof(MediaInfo.AudioCodec));
                m.Property(x => x.Bitrate).HasColumnName(nameof(MediaInfo.Bitrate));
                m.Property(x => x.AudioChannels).HasColumnName(nameof(MediaInfo.AudioChannels));
                m.Property(x => x.PageCount).HasColumnName(nameof(MediaInfo.PageCount));
                m.Property(x => x.TakenAt).HasColumnName(nameof(MediaInfo.TakenAt));
                m.Property(x => x.CameraModel).HasColumnName(nameof(MediaInfo.CameraModel));
                m.Property(x => x.Latitude).HasColumnName(nameof(MediaInfo.Latitude));
                m.Property(x => x.Longitude).HasColumnName(nameof(MediaInfo.Longitude));
            });
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
        model.Entity<AssetStep>(e =>
        {
            e.ToTable("asset_steps");
            e.Property(s => s.Name).HasMaxLength(32);
            e.Property(s => s.State).HasMaxLength(16);
            e.HasIndex(s => s.AssetId);
        });
    }
}
