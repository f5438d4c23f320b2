using Microsoft.AspNetCore.Http.HttpResults;
using Mnemo.Server.Accounts;
using Mnemo.Server.Billing;
using Mnemo.Server.Errors;

namespace Mnemo.Server.Assets;

/// <summary>The original bytes, streamed from the store with Content-Length, Content-Disposition and range support.</summary>
public sealed class AssetDownload(AssetFiles files, Charges charges, Prices prices, IHttpContextAccessor http)
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

        return await SendAsync(caller, AssetFiles.OriginalOf(asset.Id), asset.Size, contentType ?? "application/octet-stream",
            asset.OriginalFilename, DateTime.SpecifyKind(asset.CreatedAt, DateTimeKind.Utc), ct);
    }

    /// <summary>Any stored file (an original, a clip) as a paid, range-capable download.</summary>
    public async Task<FileStreamHttpResult> SendAsync(
        Caller caller, string key, long size, string contentType, string fileName, DateTimeOffset? lastModified, CancellationToken ct)
    {
        var stream = await files.Store.OpenReadAsync(key, ct)
            ?? throw new InvalidOperationException($"The stored file {key} is missing.");
        var range = http.HttpContext?.Request.Headers.Range.ToString() ?? "";
        if (range.Length == 0 || range.StartsWith("bytes=0-", StringComparison.Ordinal))
        {
            var requestId = http.HttpContext?.TraceIdentifier;
            try
            {
                await charges.ReserveAsync(caller, prices.Download(size), $"download:{requestId}", requestId, ct);
            }
            catch
            {
                await stream.DisposeAsync();
                throw;
            }
        }

        return TypedResults.File(stream, contentType, fileName, lastModified, enableRangeProcessing: true);
    }
}
