using Microsoft.AspNetCore.Http.HttpResults;
using Mnemo.Server.Accounts;
using Mnemo.Server.Assets;
using Mnemo.Server.Errors;
using Mnemo.Server.RateLimits;

namespace Mnemo.Server.Surfaces.Memic;

/// <summary>
/// A Mnemo addition: a file's keyframe thumbnails (a video's, at scene changes; an image's one), with their
/// times, and each as a JPEG. The console shows them; they are free, like a status read.
/// </summary>
public static class MemicThumbnailsApi
{
    public sealed record Thumbnail(int Index, double AtSeconds, string Url);

    public static void MapMemicThumbnails(this RouteGroupBuilder memic)
    {
        memic.MapGet("/files/{id:guid}/thumbnails", List).WithRateLimitClass(RateLimitClass.Status)
            .WithSummary("The file's keyframe thumbnails: index, time in seconds, and the URL of each JPEG.");
        memic.MapGet("/files/{id:guid}/thumbnails/{index:int}", Get).WithRateLimitClass(RateLimitClass.Status)
            .WithSummary("One keyframe thumbnail (image/jpeg).");
    }

    private static async Task<Ok<List<Thumbnail>>> List(Guid id, Caller caller, AssetService assets, AssetThumbnails thumbnails, HttpContext http, CancellationToken ct)
    {
        var asset = await assets.GetAsync(caller, null, id, ct);
        var prefix = $"{http.Request.PathBase}{http.Request.Path}/";
        return TypedResults.Ok((await thumbnails.ListAsync(asset.Id, ct)).Select(t => new Thumbnail(t.Index, t.AtSeconds, prefix + t.Index)).ToList());
    }

    private static async Task<Results<FileStreamHttpResult, ApiError>> Get(
        Guid id, int index, Caller caller, AssetService assets, AssetThumbnails thumbnails, HttpContext http, CancellationToken ct)
    {
        var asset = await assets.GetAsync(caller, null, id, ct);
        if (await thumbnails.OpenAsync(asset.Id, index, ct) is not { } jpeg)
        {
            return ApiError.NotFound($"The file has no thumbnail {index}.");
        }

        http.Response.Headers.CacheControl = "private, max-age=300";
        return TypedResults.File(jpeg, "image/jpeg");
    }
}
