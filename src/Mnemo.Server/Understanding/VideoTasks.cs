using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Accounts;
using Mnemo.Server.Assets;
using Mnemo.Server.Billing;
using Mnemo.Server.Errors;
using Mnemo.Server.Storage;
using Mnemo.Server.Work;

namespace Mnemo.Server.Understanding;

/// <summary>
/// video/clip and video/split: accepted with their price reserved in one transaction, run by
/// <see cref="VideoTaskWork"/>, settled or refunded in the transaction that ends them. The files live
/// in the asset's folder (<c>tasks/&lt;task id&gt;/</c>) and go with it.
/// </summary>
public sealed partial class VideoTasks(
    MnemoDb db, AssetFiles files, Charges charges, Prices prices, VideoEditor editor, EngineGate gate,
    LeaseTable<VideoTask> leases, WorkSignal<VideoTask> signal,
    TimeProvider time, IOptions<UnderstandingOptions> options, ILogger<VideoTasks> logger)
{
    public static string Reference(string taskId) => $"video-task:{taskId}";

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>The task's clips in the byte store: <c>assets/&lt;id&gt;/tasks/&lt;task id&gt;/0001.mp4</c>.</summary>
    public static string FolderOf(VideoTask task) => $"{AssetFiles.FolderOf(task.AssetId)}tasks/{task.TaskId}/";

    public async Task<VideoTask> CreateAsync(Caller caller, Asset asset, string kind, double? segmentSeconds, string? requestId, CancellationToken ct)
    {
        if (asset.Status != AssetStatus.Ready)
        {
            throw new ApiException(new ApiError(ErrorCatalog.FileStillProcessing,
                asset.Status == AssetStatus.Failed ? $"The asset failed to parse: {asset.Cause}" : "The asset is still being parsed; try again when it is ready."));
        }

        if (asset.Media.Kind != AssetKind.Video || asset.Media.DurationSeconds is not > 0)
        {
            throw new ApiException(ApiError.Unprocessable("The asset is not a video."));
        }

        if (segmentSeconds is { } s && Math.Ceiling(asset.Media.DurationSeconds.Value / s) > options.Value.MaxClips)
        {
            throw new ApiException(ApiError.Unprocessable($"segment_seconds would make more than {options.Value.MaxClips} files; choose a longer segment."));
        }

        var now = Now;
        var task = new VideoTask
        {
            TaskId = "vt_" + Guid.NewGuid().ToString("N"), AccountId = caller.AccountId, AssetId = asset.Id, Kind = kind,
            SegmentSeconds = segmentSeconds, State = VideoTaskState.Queued, CreatedAt = now, UpdatedAt = now,
        };
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            await charges.ReserveAsync(caller, Price(task, asset), Reference(task.TaskId), requestId, ct);
            db.Set<VideoTask>().Add(task);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        signal.Release();
        return task;
    }

    /// <summary>
    /// A task of the key's environment, or null (another account's or environment's, or one of a deleted
    /// asset, is as unknown as a made-up id).
    /// </summary>
    public Task<VideoTask?> FindAsync(Caller caller, string taskId, CancellationToken ct) =>
        db.Set<VideoTask>().AsNoTracking().FirstOrDefaultAsync(t => t.TaskId == taskId && t.AccountId == caller.AccountId
            && db.Set<Asset>().Any(a => a.Id == t.AssetId && a.EnvironmentId == caller.EnvironmentId && a.DeletedAt == null), ct);

    public static IReadOnlyList<VideoClip> Clips(VideoTask task) =>
        task.ClipsJson is null ? [] : JsonSerializer.Deserialize<List<VideoClip>>(task.ClipsJson) ?? [];

    /// <summary>The video tasks as leased work: queued, or running under a lease that ran out (its worker died); oldest first.</summary>
    public static LeaseTable<VideoTask> Table(TimeProvider time, double leaseSeconds) => new(time)
    {
        Table = "video_tasks",
        LeaseSeconds = leaseSeconds,
        Runnable = now => t => t.State == VideoTaskState.Queued || (t.State == VideoTaskState.Running && t.LeaseExpiresAt < now),
        RunnableSql = "\"State\" = 'Queued' OR (\"State\" = 'Running' AND \"LeaseExpiresAt\" < {0})",
        Held = t => t.State == VideoTaskState.Running,
        Taken = (s, now) => s.SetProperty(t => t.State, VideoTaskState.Running).SetProperty(t => t.UpdatedAt, now),
        TakenSql = "\"State\" = 'Running', \"UpdatedAt\" = {0}",
        Released = (s, _, error, now) => s // put back to run again at once: no backoff
            .SetProperty(t => t.State, VideoTaskState.Queued)
            .SetProperty(t => t.Error, error)
            .SetProperty(t => t.UpdatedAt, now),
    };

    /// <summary>Runs a claimed task to its end: files made and the price settled, or the cause kept and the price refunded.</summary>
    public async Task RunAsync(Lease lease, CancellationToken ct)
    {
        var task = await db.Set<VideoTask>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == lease.Id, ct);
        if (task is null)
        {
            return;
        }

        var asset = await db.Set<Asset>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == task.AssetId, ct);
        if (asset is null || asset.DeletedAt is not null)
        {
            await FinishAsync(task, lease, asset, null, "The asset was deleted.", ct);
            return;
        }

        if (task.Attempts > options.Value.TaskMaxAttempts)
        {
            await FinishAsync(task, lease, asset, null, $"Interrupted {task.Attempts - 1} times for a server-side reason; try again later.", ct);
            return;
        }

        await files.Store.DeleteFolderAsync(FolderOf(task), ct); // an earlier attempt's partial files
        using var scratch = files.NewScratch();
        var made = Directory.CreateDirectory(Path.Combine(scratch.Path, "clips")).FullName;
        List<VideoClip>? clips = null;
        string? error = null;
        await gate.WaitAsync(ct);
        try
        {
            var path = await files.Store.LocalPathAsync(AssetFiles.OriginalOf(asset.Id), scratch.Path, ct);
            var duration = asset.Media.DurationSeconds ?? 0;
            var cuts = task.Kind == "split"
                ? [.. Enumerable.Range(1, (int)Math.Ceiling(duration / task.SegmentSeconds!.Value))
                    .Select(i => Math.Round(i * task.SegmentSeconds.Value, 3)).Where(t => duration - t > 0.1)]
                : await editor.SceneCutsAsync(path, duration, ct);
            clips = await editor.CutAsync(path, cuts, made, ct);
            if (clips.Count == 0)
            {
                error = "ffmpeg made no file.";
            }

            await files.PutFolderAsync(made, FolderOf(task), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            if (task.Attempts < options.Value.TaskMaxAttempts && e is IOException)
            {
                throw; // the worker puts it back for another attempt
            }

            TaskFailed(logger, e, task.TaskId);
            error = e.Message;
        }
        finally
        {
            gate.Release();
        }

        await FinishAsync(task, lease, asset, error is null ? clips : null, error, ct);
    }

    private async Task FinishAsync(VideoTask task, Lease lease, Asset? asset, List<VideoClip>? clips, string? error, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var state = clips is not null ? VideoTaskState.Succeeded : VideoTaskState.Failed;
        var json = clips is null ? null : JsonSerializer.Serialize(clips);
        var now = Now;
        var done = await leases.EndAsync(db, lease, s => s
                .SetProperty(t => t.State, state)
                .SetProperty(t => t.ClipsJson, json)
                .SetProperty(t => t.Error, error)
                .SetProperty(t => t.UpdatedAt, now), ct);
        if (done == 0)
        {
            LeaseLost(logger, task.TaskId);
            return;
        }

        if (clips is not null && asset is not null)
        {
            await charges.SettleAsync(task.AccountId, Reference(task.TaskId), Price(task, asset), null, ct);
        }
        else
        {
            await charges.RefundAsync(task.AccountId, Reference(task.TaskId), $"{task.Kind} failed: {error}", null, ct);
        }

        await transaction.CommitAsync(ct);
        if (logger.IsEnabled(LogLevel.Information))
        {
            Finished(logger, task.TaskId, task.Kind, state, clips?.Count ?? 0, error is null ? "" : " (" + error + ")");
        }
    }

    private Charge Price(VideoTask task, Asset asset) => prices.VideoEditing(task.Kind, (asset.Media.DurationSeconds ?? 0) / 60);

    [LoggerMessage(LogLevel.Warning, "Video task {TaskId} failed")]
    private static partial void TaskFailed(ILogger logger, Exception exception, string taskId);

    [LoggerMessage(LogLevel.Warning, "Video task {TaskId} lost its lease before finishing; nothing was written")]
    private static partial void LeaseLost(ILogger logger, string taskId);

    [LoggerMessage(LogLevel.Information, "Video task {TaskId} ({Kind}) {State}: {Clips} file(s){Error}")]
    private static partial void Finished(ILogger logger, string taskId, string kind, VideoTaskState state, int clips, string error);
}
