using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Assets;

/// <summary>An asset's keyframe thumbnails (one for an image): their times, and each JPEG from the byte store.</summary>
public sealed class AssetThumbnails(MnemoDb db, AssetFiles files)
{
    public Task<List<AssetThumbnail>> ListAsync(long assetId, CancellationToken ct) =>
        db.Set<AssetThumbnail>().AsNoTracking().Where(t => t.AssetId == assetId).OrderBy(t => t.Index).ToListAsync(ct);

    /// <summary>The JPEG of one thumbnail, or null when the asset has no thumbnail of that index.</summary>
    public async Task<Stream?> OpenAsync(long assetId, int index, CancellationToken ct)
    {
        var thumbnail = await db.Set<AssetThumbnail>().AsNoTracking().FirstOrDefaultAsync(t => t.AssetId == assetId && t.Index == index, ct);
        return thumbnail is null ? null : await files.Store.OpenReadAsync(AssetFiles.ThumbnailsOf(assetId) + thumbnail.FileName, ct);
    }
}
