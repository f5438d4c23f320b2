using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Mnemo.Server.Accounts;
using Mnemo.Server.Assets;
using Mnemo.Server.Errors;
using Mnemo.Server.Hosting;
using Mnemo.Server.RateLimits;
using Mnemo.Server.Search;
using Mnemo.Server.Search.Images;

namespace Mnemo.Server.Surfaces.MemoriesV1;

/// <summary>
/// memories v1 search by image, as the hosted API names it: the whole library (<c>search_similar_images</c>) or one
/// video (<c>search_clips_by_image</c>); a multipart <c>file</c> is the query.
/// </summary>
public static class V1ImageSearchApi
{
    /// <summary>The hosted docs' shape: times as strings of seconds (<c>"42"</c>), a 0..1 score.</summary>
    public sealed record SimilarImage(
        [property: JsonPropertyName("videoNo")] string VideoNo,
        [property: JsonPropertyName("videoName")] string VideoName,
        [property: JsonPropertyName("startTime")] string StartTime,
        [property: JsonPropertyName("endTime")] string EndTime,
        [property: JsonPropertyName("score")] double Score);

    public sealed record ClipMatch(
        [property: JsonPropertyName("start_time")] double StartTime,
        [property: JsonPropertyName("end_time")] double EndTime,
        [property: JsonPropertyName("score")] double Score);

    /// <summary>search_similar_images as OpenAPI shows it (the endpoint reads the body as a stream).</summary>
    public sealed record SimilarImagesForm(IFormFile File, string? UniqueId, double? Similarity, int? TopK, string? VideoNos);

    /// <summary>search_clips_by_image as OpenAPI shows it; <c>prompt</c> is accepted and not used (docs/search.md).</summary>
    public sealed record ClipsByImageForm(IFormFile File, string VideoNo, string? Prompt, string? UniqueId);

    /// <summary>The hosted API's default <c>similarity</c>.</summary>
    public const double DefaultSimilarity = 0.85;

    public static RouteGroupBuilder MapV1ImageSearch(this RouteGroupBuilder group)
    {
        group.MapPost("/search_similar_images", SimilarImages).WithRateLimitClass(RateLimitClass.Search).WithBodyLimit(null)
            .Accepts<SimilarImagesForm>("multipart/form-data")
            .WithSummary("Images and video moments that look like the query image (multipart 'file'); score 0..1, at least 'similarity' (0.85).");
        group.MapPost("/search_clips_by_image", ClipsByImage).WithRateLimitClass(RateLimitClass.Search).WithBodyLimit(null)
            .Accepts<ClipsByImageForm>("multipart/form-data")
            .WithSummary("The moments of one video (video_no) that look like the query image (multipart 'file').");
        return group;
    }

    private static async Task<Results<Ok<V1Envelope<IReadOnlyList<SimilarImage>>>, ApiError>> SimilarImages(
        HttpRequest request, Caller caller, SearchService search, UploadReceiver receiver, IOptions<AssetOptions> options, CancellationToken ct)
    {
        var content = await MultipartUpload.ReadAsync(request, receiver, ["file"], 1, options.Value.ImageMaxBytes, ct);
        try
        {
            var similarity = Number(content.Field("similarity"), "similarity") ?? DefaultSimilarity;
            if (similarity is < 0 or > 1)
            {
                return ApiError.Unprocessable("similarity must be between 0 and 1.");
            }

            var topK = (int?)Number(content.Field("top_k"), "top_k") ?? 10;
            if (topK is < 1 or > 1000)
            {
                return ApiError.Unprocessable("top_k must be between 1 and 1000.");
            }

            var ids = VideoNos(content.Joined("video_nos"));
            var hits = await search.SearchByImageAsync(caller, new ImageSearch.Query(caller.EnvironmentId, QueryImage(content), topK, similarity)
            {
                Namespace = V1Fields.Namespace(content.Field("unique_id"), content.Field("folder_id")),
                AssetIds = ids,
            }, ct);
            return V1Envelope.Success<IReadOnlyList<SimilarImage>>([.. hits.Select(h => new SimilarImage(
                AssetIds.V1(h.AssetId), h.FileName, Seconds(h.StartTime ?? 0), Seconds(h.EndTime ?? h.StartTime ?? 0), h.Score))]);
        }
        finally
        {
            content.DeleteFiles();
        }
    }

    private static async Task<Results<Ok<V1Envelope<IReadOnlyList<ClipMatch>>>, ApiError>> ClipsByImage(
        HttpRequest request, Caller caller, SearchService search, UploadReceiver receiver, IOptions<AssetOptions> options, CancellationToken ct)
    {
        var content = await MultipartUpload.ReadAsync(request, receiver, ["file"], 1, options.Value.ImageMaxBytes, ct);
        try
        {
            var videoNo = content.Field("video_no");
            if (string.IsNullOrWhiteSpace(videoNo))
            {
                return ApiError.InvalidRequest("video_no is required.");
            }

            var id = AssetIds.ParseV1(videoNo) ?? throw new ApiException(ApiError.InvalidRequest($"'{videoNo}' is not a video_no."));
            var hits = await search.SearchByImageAsync(caller, new ImageSearch.Query(caller.EnvironmentId, QueryImage(content), 100, 0)
            {
                Namespace = V1Fields.Namespace(content.Field("unique_id"), content.Field("folder_id")),
                AssetIds = [id],
            }, ct);
            return V1Envelope.Success<IReadOnlyList<ClipMatch>>([.. hits.Select(h => new ClipMatch(h.StartTime ?? 0, h.EndTime ?? h.StartTime ?? 0, h.Score))]);
        }
        finally
        {
            content.DeleteFiles();
        }
    }

    /// <summary>The query must be an image (JPEG, PNG, GIF, WebP, BMP, TIFF), judged by its bytes.</summary>
    private static string QueryImage(Assets.MultipartContent content)
    {
        var file = content.Files[0];
        if (file.Format.Kind != AssetKind.Image)
        {
            throw new ApiException(UploadReceiver.Unsupported(file.FileName).Error with { Detail = $"'{file.FileName}' is not an image (JPEG, PNG, GIF, WebP, BMP, TIFF)." });
        }

        return file.Path;
    }

    private static double? Number(string? text, string name) =>
        text is null ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ApiException(ApiError.InvalidRequest($"{name} must be a number."));

    /// <summary><c>video_nos</c> as a repeated field or comma-separated; null when not given.</summary>
    private static HashSet<long>? VideoNos(string? joined)
    {
        if (joined is null)
        {
            return null;
        }

        var ids = new HashSet<long>();
        foreach (var videoNo in joined.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            ids.Add(AssetIds.ParseV1(videoNo) ?? throw new ApiException(ApiError.InvalidRequest($"'{videoNo}' is not a video_no.")));
        }

        return ids.Count > V1SearchApi.MaxVideoNos
            ? throw new ApiException(ApiError.Unprocessable($"video_nos takes at most {V1SearchApi.MaxVideoNos} distinct video_no."))
            : ids;
    }

    private static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);
}
