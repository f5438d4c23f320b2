using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Assets;
using Mnemo.Server.Storage;
using Mnemo.Server.Tools;

namespace Mnemo.Server.Processing;

/// <summary>
/// N workers claiming parse jobs. A job's lease is renewed while it runs; on shutdown the job is put
/// back at once, and after a crash its lease runs out, so every queued or leased job resumes.
/// </summary>
public sealed partial class ParseWorkers(
    IServiceScopeFactory scopes, JobQueue queue, JobSignal signal, AssetFiles files,
    IOptions<ProcessingOptions> options, ILogger<ParseWorkers> logger) : BackgroundService
{
    private readonly string instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (files.ClearLeftovers(TimeSpan.FromMinutes(10)) is > 0 and var removed)
        {
            LeftoversRemoved(logger, removed);
        }

        var count = options.Value.Workers; // 0: this instance only serves the API; others parse
        return Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(() => LoopAsync($"{instance}:{i}", stoppingToken), CancellationToken.None)));
    }

    private async Task LoopAsync(string owner, CancellationToken stop)
    {
        var poll = TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);
        while (!stop.IsCancellationRequested)
        {
            JobQueue.Claimed? job;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                job = await queue.ClaimAsync(scope.ServiceProvider.GetRequiredService<MnemoDb>(), owner, stop);
                if (job is null)
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
                await RunAsync(job, stop);
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                Stranded(logger, e, job.JobId);
                await WorkerLoops.SleepAsync(poll, stop);
            }
        }
    }

    private async Task RunAsync(JobQueue.Claimed job, CancellationToken stop)
    {
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var renewal = RenewAsync(job, running.Token);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ParsePipeline>().RunAsync(job, running.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await PutBackAsync(job, TimeSpan.Zero, "interrupted by shutdown");
        }
        catch (Exception e)
        {
            await RetryOrFailAsync(job, e);
        }
        finally
        {
            await running.CancelAsync();
            await renewal;
        }
    }

    private async Task RetryOrFailAsync(JobQueue.Claimed job, Exception e)
    {
        if (job.Attempts < options.Value.MaxAttempts)
        {
            Retrying(logger, e, job.JobId, job.AssetId, job.Attempts);
            await PutBackAsync(job, TimeSpan.FromSeconds(Math.Pow(2, job.Attempts)), e.Message);
            return;
        }

        GaveUp(logger, e, job.JobId, job.AssetId, job.Attempts);
        var cause = e is ToolTimeoutException ? e.Message : $"Parsing failed {job.Attempts} times for a server-side reason; ask the operator, or re-parse later.";
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ParsePipeline>().FailAsync(job, cause, CancellationToken.None);
        }
        catch (Exception again)
        {
            FailureNotRecorded(logger, again, job.JobId);
        }
    }

    private async Task PutBackAsync(JobQueue.Claimed job, TimeSpan delay, string reason)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MnemoDb>();
            await queue.ReleaseAsync(db, job, delay, reason, CancellationToken.None);
            await db.Set<Asset>().Where(a => a.Id == job.AssetId && a.Status == AssetStatus.Processing)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AssetStatus.Queued), CancellationToken.None);
        }
        catch (Exception e)
        {
            NotPutBack(logger, e, job.JobId);
        }
    }

    private Task RenewAsync(JobQueue.Claimed job, CancellationToken ct) =>
        WorkerLoops.KeepLeaseAsync(scopes, options.Value.LeaseSeconds,
            (services, token) => queue.RenewAsync(services.GetRequiredService<MnemoDb>(), job, token),
            e => RenewFailed(logger, e, job.JobId), ct);

    [LoggerMessage(LogLevel.Information, "Removed {Bytes} bytes of uploads and scratch files left by a stopped instance")]
    private static partial void LeftoversRemoved(ILogger logger, long bytes);

    [LoggerMessage("Claiming a parse job failed; retrying")]
    private static partial void ClaimFailed(ILogger logger, LogLevel level, Exception exception);

    [LoggerMessage(LogLevel.Error, "Job {JobId} could not be ended or put back; its lease runs out and it runs again")]
    private static partial void Stranded(ILogger logger, Exception exception, long jobId);

    [LoggerMessage(LogLevel.Warning, "Job {JobId} (asset {AssetId}) failed on attempt {Attempt}; it will be retried")]
    private static partial void Retrying(ILogger logger, Exception exception, long jobId, long assetId, int attempt);

    [LoggerMessage(LogLevel.Error, "Job {JobId} (asset {AssetId}) failed {Attempts} times; the asset is marked failed")]
    private static partial void GaveUp(ILogger logger, Exception exception, long jobId, long assetId, int attempts);

    [LoggerMessage(LogLevel.Error, "Could not record the failure of job {JobId}; its lease will expire and it runs again")]
    private static partial void FailureNotRecorded(ILogger logger, Exception exception, long jobId);

    [LoggerMessage(LogLevel.Warning, "Could not put job {JobId} back; its lease will expire instead")]
    private static partial void NotPutBack(ILogger logger, Exception exception, long jobId);

    [LoggerMessage(LogLevel.Warning, "Could not renew the lease of job {JobId}")]
    private static partial void RenewFailed(ILogger logger, Exception exception, long jobId);
}
