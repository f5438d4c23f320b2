using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Mnemo.Server.Accounts;
using Mnemo.Server.Assets;
using Mnemo.Server.Errors;
using Mnemo.Server.RateLimits;

namespace Mnemo.Server.Surfaces.MemoriesV1;

/// <summary>memories v1 reads and deletes: list_videos, get_metadata, download, get_video_transcription, delete_videos.</summary>
public static class V1VideosApi
{
    public sealed record ListRequest(int? Page, int? Size, string? UniqueId, string? FolderId, string? VideoName, string? VideoNo, string? Status, string? Tag);

    public sealed record VideoRow(string VideoNo, string VideoName, double? Duration, long Size, string Status, string? Cause, string CreateTime);

    public sealed record VideoList(IReadOnlyList<VideoRow> Videos, int CurrentPage, int PageSize, int TotalCount);

    public sealed record VideoMetadata(
        string VideoNo, string VideoName, string Status, string? Cause, double? Duration, long Size, double? Fps, int? Width, int? Height,
        int? Rotation, string? VideoCodec, string? AudioCodec, IReadOnlyList<string> Codecs, long? Bitrate, int? AudioChannels,
        string? Format, string? Sha256, IReadOnlyList<string> Tags, string? DatetimeTaken, string? CameraModel, double? Latitude, double? Longitude,
        int ThumbnailCount, string CreateTime);

    public sealed record DownloadRequest(string? VideoNo, string? UniqueId, string? FolderId);

    public sealed record Transcription(
        [property: JsonPropertyName("index")] int Index,
        [property: JsonPropertyName("content")] string Content,
        [property: JsonPropertyName("startTime")] double StartTime,
        [property: JsonPropertyName("endTime")] double EndTime);

    public sealed record Transcriptions(
        [property: JsonPropertyName("videoNo")] string VideoNo,
        [property: JsonPropertyName("transcriptions")] IReadOnlyList<Transcription> Items);

    public static RouteGroupBuilder MapV1Videos(this RouteGroupBuilder group)
    {
        group.MapPost("/list_videos", List).WithRateLimitClass(RateLimitClass.ListDelete).WithSummary("Lists videos of a unique_id, with paging and filters.");
        var polled = ((IEndpointRouteBuilder)group).ServiceProvider.GetRequiredService<AssetReadCache>(); // a poll opens no request scope
        group.MapGet("/get_metadata", (Caller caller, CancellationToken ct, string? video_no = null, string? unique_id = null, string? folder_id = null) =>
            GetMetadata(caller, polled, ct, video_no, unique_id, folder_id)).WithRateLimitClass(RateLimitClass.Status).WithSummary("Status (UNPARSE, PARSE, PARSE_ERROR with cause), duration, size, fps, resolution, codecs, tags.");
        group.MapPost("/download", Download).WithRateLimitClass(RateLimitClass.Download).WithSummary("The original bytes (application/octet-stream); errors as JSON.");
        group.MapGet("/get_video_transcription", GetTranscription).WithRateLimitClass(RateLimitClass.Status).WithSummary("Transcript segments (embedded subtitles or an uploaded SRT/VTT).");
        group.MapPost("/delete_videos", Delete).WithRateLimitClass(RateLimitClass.ListDelete).WithSummary("Deletes up to 100 videos; one already deleted answers 0409.");
        return group;
    }

    private static async Task<Results<Ok<V1Envelope<VideoList>>, ApiError>> List(ListRequest request, Caller caller, AssetQueries assets, CancellationToken ct)
    {
        var page = request.Page ?? 1;
        var size = request.Size ?? 20;
        if (page < 1 || size is < 1 or > 200)
        {
            return ApiError.Unprocessable("page must be ≥ 1 and size between 1 and 200.");
        }

        AssetStatus[]? statuses = request.Status switch
        {
            null or "" => null,
            "PARSE" => [AssetStatus.Ready],
            "PARSE_ERROR" => [AssetStatus.Failed],
            "UNPARSE" => [AssetStatus.AwaitingUpload, AssetStatus.Queued, AssetStatus.Processing],
            _ => throw new ApiException(ApiError.Unprocessable("status must be UNPARSE, PARSE or PARSE_ERROR.")),
        };
        var (rows, total) = await assets.ListAsync(caller, new AssetFilter
        {
            Namespace = V1Fields.Namespace(request.UniqueId, request.FolderId),
            NameContains = request.VideoName,
            Id = string.IsNullOrEmpty(request.VideoNo) ? null : AssetIds.ParseV1(request.VideoNo) ?? -1,
            Statuses = statuses,
            Tag = request.Tag,
        }, page, size, ct);
        return V1Envelope.Success(new VideoList(
            [.. rows.Select(a => new VideoRow(AssetIds.V1(a.Id), a.OriginalFilename, a.Media.DurationSeconds, a.Size, V1Status.Of(a.Status), a.Cause, WireTime.Millis(a.CreatedAt)))],
            page, size, total));
    }

    private static readonly RenderedJson<Asset, V1Envelope<VideoMetadata>>.Cache Answers = new(MetadataOf);

    /// <summary>
    /// The documented way to poll. <c>video_no</c> alone finds the video whatever unique_id it was uploaded
    /// under; an unknown or deleted one is <c>data: null</c> with code 0000, as the hosted API answers.
    /// </summary>
    private static async ValueTask<Results<RenderedJson<Asset, V1Envelope<VideoMetadata>>, Ok<V1Envelope<VideoMetadata>>>> GetMetadata(
        Caller caller, AssetReadCache polled, CancellationToken ct, string? video_no = null, string? unique_id = null, string? folder_id = null)
    {
        if (string.IsNullOrEmpty(video_no))
        {
            throw new ApiException(ApiError.InvalidRequest("video_no is required."));
        }

        var asset = AssetIds.ParseV1(video_no) is { } id ? await polled.FindAsync(caller, id, ct) : null;
        var restricted = !string.IsNullOrEmpty(unique_id) || !string.IsNullOrEmpty(folder_id);
        return asset is null || (restricted && asset.Namespace != V1Fields.Namespace(unique_id, folder_id))
            ? V1Envelope.Success<VideoMetadata>(null!)
            : Answers.For(asset);
    }

    private static V1Envelope<VideoMetadata> MetadataOf(Asset a) => V1Envelope.Success(new VideoMetadata(
        AssetIds.V1(a.Id), a.OriginalFilename, V1Status.Of(a.Status), a.Cause, a.Media.DurationSeconds, a.Size, a.Media.Fps, a.Media.Width, a.Media.Height,
        a.Media.Rotation, a.Media.VideoCodec, a.Media.AudioCodec, [.. new[] { a.Media.VideoCodec, a.Media.AudioCodec }.OfType<string>()], a.Media.Bitrate, a.Media.AudioChannels,
        a.Format, a.Sha256, TagsOf(a.Tags), a.Media.TakenAt is { } t ? WireTime.Millis(t) : null, a.Media.CameraModel, a.Media.Latitude, a.Media.Longitude,
        a.ThumbnailCount, WireTime.Millis(a.CreatedAt))).Value!;

    private static async Task<Results<FileStreamHttpResult, ApiError>> Download(
        DownloadRequest request, Caller caller, AssetService assets, AssetDownload download, CancellationToken ct)
    {
        var asset = await FindAsync(request.VideoNo, request.UniqueId, request.FolderId, caller, assets, ct);
        return await download.SendAsync(caller, asset, "application/octet-stream", ct);
    }

    private static async Task<Results<Ok<V1Envelope<Transcriptions>>, ApiError>> GetTranscription(
        Caller caller, AssetService assets, AssetQueries queries, CancellationToken ct, string? video_no = null, string? unique_id = null, string? folder_id = null)
    {
        var asset = await FindAsync(video_no, unique_id, folder_id, caller, assets, ct);
        if (asset.Status != AssetStatus.Ready)
        {
            return new ApiError(ErrorCatalog.FileStillProcessing, asset.Status == AssetStatus.Failed
                ? $"Parsing failed: {asset.Cause}"
                : "The video is still being parsed; poll get_metadata until its status is PARSE.");
        }

        var segments = await queries.TranscriptAsync(asset.Id, ct);
        return V1Envelope.Success(new Transcriptions(AssetIds.V1(asset.Id),
            [.. segments.Select(s => new Transcription(s.Index, s.Content, s.StartSeconds ?? 0, s.EndSeconds ?? 0))]));
    }

    private static async Task<Results<Ok<V1Envelope<object>>, ApiError>> Delete(
        List<string> videoNos, Caller caller, AssetService assets, CancellationToken ct, string? unique_id = null, string? folder_id = null)
    {
        if (videoNos.Count is 0 or > 100)
        {
            return ApiError.Unprocessable("Send between 1 and 100 video_no values.");
        }

        var ns = V1Fields.Namespace(unique_id, folder_id);
        var found = new List<Asset>();
        foreach (var videoNo in videoNos.Distinct())
        {
            var asset = AssetIds.ParseV1(videoNo) is { } id ? await assets.FindAsync(caller, id, null, ct) : null;
            if (asset is null || asset.Namespace != ns)
            {
                return new ApiError(ErrorCatalog.AssetNotFound, $"{videoNo} does not exist in unique_id '{ns}'.");
            }

            if (asset.DeletedAt is not null)
            {
                return ApiError.Duplicate($"{videoNo} was already deleted.");
            }

            found.Add(asset);
        }

        foreach (var asset in found)
        {
            if (await assets.DeleteAsync(asset, ct) == DeleteOutcome.AlreadyDeleted)
            {
                return ApiError.Duplicate($"{AssetIds.V1(asset.Id)} was already deleted.");
            }
        }

        return V1Envelope.Success<object>(null!);
    }

    private static async Task<Asset> FindAsync(string? videoNo, string? uniqueId, string? folderId, Caller caller, AssetService assets, CancellationToken ct) =>
        InNamespace(await assets.GetAsync(caller, IdOf(videoNo), null, ct), uniqueId, folderId);

    private static long IdOf(string? videoNo) => string.IsNullOrEmpty(videoNo)
        ? throw new ApiException(ApiError.InvalidRequest("video_no is required."))
        : AssetIds.ParseV1(videoNo) ?? throw AssetService.NotFound();

    private static Asset InNamespace(Asset asset, string? uniqueId, string? folderId) =>
        asset.Namespace == V1Fields.Namespace(uniqueId, folderId) ? asset : throw AssetService.NotFound();

    private static IReadOnlyList<string> TagsOf(string? tags) =>
        tags is null ? [] : [.. tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
