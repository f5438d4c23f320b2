using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mnemo.Server.Accounts;
using Mnemo.Server.Assets;
using Mnemo.Server.Errors;
using Mnemo.Server.Hosting;
using Mnemo.Server.RateLimits;
using Mnemo.Server.Search;
using Mnemo.Server.Search.Images;

namespace Mnemo.Server.Surfaces.Memic;

/// <summary>
/// memic POST /search/image (a Mnemo addition: the hosted Memic API has no search by image): a multipart <c>file</c> is
/// the query; the answer has the shape of POST /search, each hit an image or a video moment with its times.
/// </summary>
public static class MemicImageSearchApi
{
    /// <summary>As OpenAPI shows it (the endpoint reads the body as a stream); file_ids repeated or comma-separated.</summary>
    public sealed record ImageSearchForm(IFormFile File, int? TopK, double? MinScore, string? FileIds, string? EnvironmentSlug);

    public static void MapMemicImageSearch(this RouteGroupBuilder memic) =>
        memic.MapPost("/search/image", Search).WithRateLimitClass(RateLimitClass.Search).WithBodyLimit(null)
            .Accepts<ImageSearchForm>("multipart/form-data")
            .WithSummary("Search by image: images and video moments of this environment that look like the uploaded picture, score 0..1.");

    private static async Task<Results<Ok<MemicSearchApi.SearchResponse>, ApiError>> Search(
        HttpRequest request, Caller caller, SearchService search, AssetQueries assets, UploadReceiver receiver, IOptions<AssetOptions> options,
        CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var content = await MultipartUpload.ReadAsync(request, receiver, ["file"], 1, options.Value.ImageMaxBytes, ct);
        try
        {
            ApiKeyCheck.EnsureEnvironment(caller, content.Field("environment_slug"));
            var topK = Number(content.Field("top_k"), "top_k") ?? 10;
            if (topK is < 1 or > 50)
            {
                return ApiError.Unprocessable("top_k must be between 1 and 50.");
            }

            var minScore = Number(content.Field("min_score"), "min_score") ?? 0;
            if (minScore is < 0 or > 1)
            {
                return ApiError.Unprocessable("min_score must be between 0 and 1.");
            }

            var file = content.Files[0];
            if (file.Format.Kind != AssetKind.Image)
            {
                return UploadReceiver.Unsupported(file.FileName).Error with { Detail = $"'{file.FileName}' is not an image (JPEG, PNG, GIF, WebP, BMP, TIFF)." };
            }

            var query = new ImageSearch.Query(caller.EnvironmentId, file.Path, (int)topK, minScore);
            if (content.Joined("file_ids") is { } joined)
            {
                var fileIds = joined.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(id => Guid.TryParse(id, out var g) ? g : throw new ApiException(ApiError.InvalidRequest($"'{id}' is not a file id.")))
                    .ToList();
                query = query with { AssetIds = await assets.IdsOfFilesAsync(caller, fileIds, ct) };
            }

            var hits = await search.SearchByImageAsync(caller, query, ct);
            var results = hits.Select(h =>
            {
                var metadata = FileMetadata.Of(h.MetadataJson);
                return new MemicSearchApi.SemanticResult(
                    "image-" + h.FeatureId.ToString(CultureInfo.InvariantCulture), h.FrameIndex, h.FileName, h.FileId, h.FileName, h.MimeType,
                    null, null, null, h.StartTime, h.EndTime, h.Score, caller.ProjectId, h.ReferenceId, metadata.Category, metadata.DocumentType);
            }).ToList();
            return TypedResults.Ok(new MemicSearchApi.SearchResponse(
                file.FileName, new MemicSearchApi.Results(results, null), new MemicSearchApi.Routing("image"), results.Count,
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds));
        }
        finally
        {
            content.DeleteFiles();
        }
    }

    private static double? Number(string? text, string name) =>
        text is null ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ApiException(ApiError.InvalidRequest($"{name} must be a number."));
}
