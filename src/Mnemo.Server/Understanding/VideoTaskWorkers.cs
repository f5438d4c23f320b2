using Microsoft.Extensions.Options;
using Mnemo.Server.Processing;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Understanding;

/// <summary>
/// Workers running video tasks. A task's lease is renewed while it runs; on shutdown it is put back,
/// after a crash its lease runs out and another worker (or this one, restarted) takes it again.
/// </summary>
public sealed partial class VideoTaskWorkers(
    IServiceScopeFactory scopes, VideoTaskSignal signal, IOptions<UnderstandingOptions> options, ILogger<VideoTaskWorkers> logger) : BackgroundService
{
    private readonly string instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.TaskWorkers)
            .Select(i => Task.Run(() => LoopAsync($"{instance}:task{i}", stoppingToken), CancellationToken.None)));

    private async Task LoopAsync(string owner, CancellationToken stop)
    {
        var poll = TimeSpan.FromSeconds(1);
        while (!stop.IsCancellationRequested)
        {
            VideoTask? task;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                task = await scope.ServiceProvider.GetRequiredService<VideoTasks>().ClaimAsync(owner, stop);
                if (task is null)
                {
                    await signal.WaitAsync(poll, stop);
                    continue;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A worker never dies of one failure (it would stop the host): it says so and tries again.
                var level = StoreFailures.LevelOf(e);
                ClaimFailed(logger, level, e);
                await WorkerLoops.SleepAsync(poll, stop);
                continue;
            }

            try
            {
                await RunAsync(task, owner, stop);
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                Stranded(logger, e, task.TaskId);
                await WorkerLoops.SleepAsync(poll, stop);
            }
        }
    }

    private async Task RunAsync(VideoTask task, string owner, CancellationToken stop)
    {
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var renewal = RenewAsync(task, owner, running.Token);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<VideoTasks>().RunAsync(task, owner, running.Token);
        }
        catch (Exception e)
        {
            if (!stop.IsCancellationRequested)
            {
                Interrupted(logger, e, task.TaskId);
            }

            await ReleaseAsync(task, owner, stop.IsCancellationRequested ? "interrupted by shutdown" : e.Message);
        }
        finally
        {
            await running.CancelAsync();
            await renewal;
        }
    }

    private async Task ReleaseAsync(VideoTask task, string owner, string reason)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<VideoTasks>().ReleaseAsync(task, owner, reason, CancellationToken.None);
        }
        catch (Exception e)
        {
            NotPutBack(logger, e, task.TaskId);
        }
    }

    private Task RenewAsync(VideoTask task, string owner, CancellationToken ct) =>
        WorkerLoops.KeepLeaseAsync(scopes, options.Value.TaskLeaseSeconds,
            (services, token) => services.GetRequiredService<VideoTasks>().RenewAsync(task, owner, token),
            e => RenewFailed(logger, e, task.TaskId), ct);

    [LoggerMessage("Claiming a video task failed; retrying")]
    private static partial void ClaimFailed(ILogger logger, LogLevel level, Exception exception);

    [LoggerMessage(LogLevel.Error, "Video task {TaskId} could not be ended or put back; its lease runs out and it runs again")]
    private static partial void Stranded(ILogger logger, Exception exception, string taskId);

    [LoggerMessage(LogLevel.Warning, "Video task {TaskId} was interrupted; it will run again")]
    private static partial void Interrupted(ILogger logger, Exception exception, string taskId);

    [LoggerMessage(LogLevel.Warning, "Could not put video task {TaskId} back; its lease will expire instead")]
    private static partial void NotPutBack(ILogger logger, Exception exception, string taskId);

    [LoggerMessage(LogLevel.Warning, "Could not renew the lease of video task {TaskId}")]
    private static partial void RenewFailed(ILogger logger, Exception exception, string taskId);
}
