using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Mnemo.Server.Accounts;
using Mnemo.Server.Billing;
using Mnemo.Server.Errors;
using Mnemo.Server.Hosting;

namespace Mnemo.Server.Assets;

/// <summary>The original bytes, streamed from the store with Content-Length, Content-Disposition and range support.</summary>
public sealed class AssetDownload(AssetFiles files, Charges charges, Prices prices, CurrentRequest http)
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
        try
        {
            var request = http.HttpContext?.Request;
            var range = request?.Headers.Range.ToString() ?? "";
            CheckRange(range, stream.Length);
            if (!HttpMethods.IsHead(request?.Method ?? "") && (range.Length == 0 || range.StartsWith("bytes=0-", StringComparison.Ordinal)))
            {
                var requestId = http.HttpContext?.TraceIdentifier;
                await charges.ReserveAsync(caller, prices.Download(size), Charges.OneOff("download"), requestId, ct);
            }
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }

        return TypedResults.File(stream, contentType, fileName, lastModified, enableRangeProcessing: true);
    }

    /// <summary>
    /// A range that starts past the end would be a bodiless 416, a status the catalog does not have: it is
    /// invalid_request, naming the size. A malformed Range header is ignored (the whole file), as HTTP allows.
    /// </summary>
    private static void CheckRange(string range, long length)
    {
        if (RangeHeaderValue.TryParse(range, out var parsed) && parsed.Unit == "bytes" && parsed.Ranges.Count > 0
            && parsed.Ranges.All(r => r.From >= length || (r.From is null && r.To == 0)))
        {
            throw new ApiException(ApiError.InvalidRequest($"The range '{range}' is outside the file, which has {length} bytes."));
        }
    }
}
