using Microsoft.AspNetCore.Http.HttpResults;

namespace Mnemo.Server.Assets;

/// <summary>The original bytes, streamed from disk with Content-Length, Content-Disposition and range support.</summary>
public static class AssetDownload
{
    public static FileStreamHttpResult Of(Asset asset, AssetService assets, string? contentType)
    {
        if (asset.Sha256 is null)
        {
            throw new Errors.ApiException(new Errors.ApiError(Errors.ErrorCatalog.FileStillProcessing, "The file's bytes have not been uploaded yet."));
        }

        var stream = new FileStream(assets.OriginalPath(asset), FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        return TypedResults.File(stream, contentType ?? "application/octet-stream", asset.OriginalFilename,
            lastModified: DateTime.SpecifyKind(asset.CreatedAt, DateTimeKind.Utc), enableRangeProcessing: true);
    }
}
