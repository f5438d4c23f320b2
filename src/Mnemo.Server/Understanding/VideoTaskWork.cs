using Mnemo.Server.Work;

namespace Mnemo.Server.Understanding;

/// <summary>
/// Video tasks as leased work. A task that throws (a retryable failure, or a shutdown) is put back to
/// run again at once; <see cref="VideoTasks.RunAsync"/> ends it once its attempts ran out.
/// </summary>
public sealed class VideoTaskWork(VideoTasks tasks) : IWork<VideoTask>
{
    public static WorkPolicy Policy(UnderstandingOptions options) =>
        new("video-task", options.TaskWorkers, TimeSpan.FromSeconds(1), MaxAttempts: null, _ => TimeSpan.Zero);

    public Task RunAsync(Lease lease, CancellationToken ct) => tasks.RunAsync(lease, ct);

    public Task PutBackAsync(Lease lease, CancellationToken ct) => Task.CompletedTask;

    public Task GiveUpAsync(Lease lease, Exception failure, CancellationToken ct) => Task.CompletedTask;
}
