using Microsoft.AspNetCore.Http.HttpResults;
using Mnemo.Server.Accounts;
using Mnemo.Server.Billing;
using Mnemo.Server.Errors;

namespace Mnemo.Server.Assets;

/// <summary>The original bytes, streamed from disk with Content-Length, Content-Disposition and range support.</summary>
public sealed class AssetDownload(AssetService assets, Charges charges, Prices prices, IHttpContextAccessor http)
{
    /// <summary>
    /// Charges the download (per GB of the whole file) before a byte leaves, except for a range request
    /// that resumes past the start: a resumed transfer is not paid twice.
    /// </summary>
    public async Task<FileStreamHttpResult> SendAsync(Caller caller, Asset asset, string? contentType, CancellationToken ct)
    {
        if (asset.Sha256 is null)
        {
            throw new ApiException(new ApiError(ErrorCatalog.FileStillProcessing, "The file's bytes have not been uploaded yet."));
        }

        var request = http.HttpContext?.Request;
        var range = request?.Headers.Range.ToString() ?? "";
        if (range.Length == 0 || range.StartsWith("bytes=0-", StringComparison.Ordinal))
        {
            var requestId = http.HttpContext?.TraceIdentifier;
            await charges.ReserveAsync(caller, prices.Download(asset.Size), $"download:{requestId}", requestId, ct);
        }

        var stream = new FileStream(assets.OriginalPath(asset), FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        return TypedResults.File(stream, contentType ?? "application/octet-stream", asset.OriginalFilename,
            lastModified: DateTime.SpecifyKind(asset.CreatedAt, DateTimeKind.Utc), enableRangeProcessing: true);
    }
}
