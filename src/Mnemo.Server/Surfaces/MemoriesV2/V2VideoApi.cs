using Microsoft.AspNetCore.Http.HttpResults;
using Mnemo.Server.Accounts;
using Mnemo.Server.Assets;
using Mnemo.Server.Billing;
using Mnemo.Server.Errors;
using Mnemo.Server.Hosting;
using Mnemo.Server.RateLimits;
using Mnemo.Server.Understanding;

namespace Mnemo.Server.Surfaces.MemoriesV2;

/// <summary>
/// memories v2 video tasks: clip (one file per scene), split (one file per N seconds), polled by task id,
/// files downloaded one by one; and what the understanding steps of an asset's parse did. docs/understanding.md.
/// </summary>
public static class V2VideoApi
{
    public sealed record ClipRequest(string? AssetId);

    public sealed record SplitRequest(string? AssetId, double? SegmentSeconds);

    public sealed record Accepted(string TaskId, string Status);

    public sealed record ClipView(int Index, double StartTime, double EndTime, long FileSize, string DownloadUrl);

    public sealed record TaskView(
        string TaskId, string Type, string Status, string AssetId, double? SegmentSeconds, string? Error,
        IReadOnlyList<ClipView> Clips, string CreateTime, string ModifyTime);

    public sealed record StepView(string Name, string State, string? Detail, long Milliseconds);

    /// <summary>An object class seen (vision): how many at once, from when to when (null in an image), the detector's confidence.</summary>
    public sealed record ObjectView(string Class, string Text, int Count, double? StartTime, double? EndTime, double Confidence);

    public sealed record Understanding(string AssetId, string UploadStatus, IReadOnlyList<StepView> Steps, IReadOnlyList<ObjectView> Objects);

    public static RouteGroupBuilder MapV2Video(this RouteGroupBuilder group)
    {
        group.MapPost("/video/clip", Clip).WithRateLimitClass(RateLimitClass.VideoTasks)
            .WithSummary("Scene detection: an async task cutting the video into one file per scene; returns task_id.");
        group.MapPost("/video/split", Split).WithRateLimitClass(RateLimitClass.VideoTasks)
            .WithSummary("An async task cutting the video into files of segment_seconds each; returns task_id.");
        group.MapGet("/video/task/{task_id}", GetTask).WithRateLimitClass(RateLimitClass.Status)
            .WithSummary("A video task's status (PENDING, PROCESSING, SUCCESS, FAILED) and, once done, its clips.");
        group.MapMethods("/video/task/{task_id}/clips/{index:int}", [HttpMethods.Get, HttpMethods.Head], DownloadClip).WithRateLimitClass(RateLimitClass.Download)
            .WithSummary("One clip of a finished task (video/mp4, range requests supported).");
        group.MapGet("/{asset_id}/understanding", GetUnderstanding).WithRateLimitClass(RateLimitClass.Status)
            .WithSummary("How the speech-to-text, OCR and vision steps of the asset's last parse ended, and the objects seen with their times.");
        return group;
    }

    private static async Task<Results<Ok<V2Envelope<Accepted>>, ApiError>> Clip(
        ClipRequest request, Caller caller, AssetService assets, VideoTasks tasks, HttpContext http, CancellationToken ct)
    {
        var asset = await FindAssetAsync(request.AssetId, caller, assets, ct);
        var task = await tasks.CreateAsync(caller, asset, "clip", null, http.TraceIdentifier, ct);
        return V2Envelope.Success(new Accepted(task.TaskId, StatusName(task.State)));
    }

    private static async Task<Results<Ok<V2Envelope<Accepted>>, ApiError>> Split(
        SplitRequest request, Caller caller, AssetService assets, VideoTasks tasks, HttpContext http, CancellationToken ct)
    {
        if (request.SegmentSeconds is not { } seconds)
        {
            return ApiError.InvalidRequest("segment_seconds is required.");
        }

        if (seconds is < 1 or > 3600 || double.IsNaN(seconds))
        {
            return ApiError.Unprocessable("segment_seconds must be between 1 and 3600.");
        }

        var asset = await FindAssetAsync(request.AssetId, caller, assets, ct);
        var task = await tasks.CreateAsync(caller, asset, "split", seconds, http.TraceIdentifier, ct);
        return V2Envelope.Success(new Accepted(task.TaskId, StatusName(task.State)));
    }

    private static async Task<Results<Ok<V2Envelope<TaskView>>, ApiError>> GetTask(
        string task_id, Caller caller, VideoTasks tasks, HttpContext http, CancellationToken ct)
    {
        var task = await tasks.FindAsync(caller, task_id, ct) ?? throw NoTask(task_id);
        var prefix = $"{http.Request.Scheme}://{http.Request.Host}{SurfacePaths.MemoriesV2Prefix}/video/task/{task.TaskId}/clips/";
        return V2Envelope.Success(new TaskView(
            task.TaskId, task.Kind, StatusName(task.State), AssetIds.V2(task.AssetId), task.SegmentSeconds, task.Error,
            [.. VideoTasks.Clips(task).Select(c => new ClipView(c.Index, c.StartSeconds, c.EndSeconds, c.Size, prefix + c.Index))],
            WireTime.Millis(task.CreatedAt), WireTime.Millis(task.UpdatedAt)));
    }

    private static async Task<Results<FileStreamHttpResult, ApiError>> DownloadClip(
        string task_id, int index, Caller caller, VideoTasks tasks, AssetDownload download, CancellationToken ct)
    {
        var task = await tasks.FindAsync(caller, task_id, ct) ?? throw NoTask(task_id);
        if (task.State != VideoTaskState.Succeeded)
        {
            return new ApiError(ErrorCatalog.FileStillProcessing, $"The task is {StatusName(task.State)}; its clips can be downloaded once it is SUCCESS.");
        }

        var clip = VideoTasks.Clips(task).FirstOrDefault(c => c.Index == index);
        if (clip is null)
        {
            return ApiError.NotFound($"Task {task_id} has no clip {index}.");
        }

        return await download.SendAsync(caller, VideoTasks.FolderOf(task) + clip.FileName, clip.Size, "video/mp4", $"{task.TaskId}_{index:0000}.mp4", null, ct);
    }

    private static async Task<Results<Ok<V2Envelope<Understanding>>, ApiError>> GetUnderstanding(
        string asset_id, Caller caller, AssetService assets, UnderstandingQueries understanding, CancellationToken ct)
    {
        var asset = await FindAssetAsync(asset_id, caller, assets, ct);
        var (steps, seen) = await understanding.UnderstandingAsync(asset.Id, ct);
        return V2Envelope.Success(new Understanding(AssetIds.V2(asset.Id), V2Status.Of(asset.Status),
            [.. steps.Select(s => new StepView(s.Name, s.State, s.Detail, s.Milliseconds))],
            [.. seen.Select(c => new ObjectView(
                SeenChunks.ClassOf(c.Content), c.Content, SeenChunks.CountOf(c.Content), c.StartSeconds, c.EndSeconds, c.Confidence!.Value))]));
    }

    private static string StatusName(VideoTaskState state) => state switch
    {
        VideoTaskState.Queued => "PENDING",
        VideoTaskState.Running => "PROCESSING",
        VideoTaskState.Succeeded => "SUCCESS",
        _ => "FAILED",
    };

    private static ApiException NoTask(string id) => new(ApiError.NotFound($"No video task '{id}' here."));

    private static Task<Asset> FindAssetAsync(string? id, Caller caller, AssetService assets, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ApiException(ApiError.InvalidRequest("asset_id is required."));
        }

        return AssetIds.ParseV2(id) is { } n ? assets.GetAsync(caller, n, null, ct) : throw AssetService.NotFound();
    }
}
