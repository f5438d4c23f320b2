using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Assets;
using Mnemo.Server.Storage;
using Mnemo.Server.Tools;
using Mnemo.Server.Work;

namespace Mnemo.Server.Processing;

/// <summary>A claimed parse job: its lease and its asset.</summary>
public sealed record ParseJob(Lease Lease, long AssetId)
{
    public long JobId => Lease.Id;

    public int Attempts => Lease.Attempts;
}

/// <summary>Parsing as leased work: a worker runs the pipeline on a claimed job, and retries it with backoff.</summary>
public sealed class ParseWork(MnemoDb db, ParsePipeline pipeline) : IWork<Job>
{
    public static WorkPolicy Policy(ProcessingOptions options) => new(
        "parse", options.Workers, // 0: this instance only serves the API; others parse
        TimeSpan.FromMilliseconds(options.PollMilliseconds), options.MaxAttempts,
        lease => TimeSpan.FromSeconds(Math.Pow(2, lease.Attempts)));

    public async Task RunAsync(Lease lease, CancellationToken ct)
    {
        if (await AssetOfAsync(lease, ct) is { } assetId)
        {
            await pipeline.RunAsync(new ParseJob(lease, assetId), ct);
        }
    }

    /// <summary>A put-back asset shows as queued again until a worker takes it.</summary>
    public async Task PutBackAsync(Lease lease, CancellationToken ct)
    {
        if (await AssetOfAsync(lease, ct) is { } assetId)
        {
            await db.Set<Asset>().Where(a => a.Id == assetId && a.Status == AssetStatus.Processing)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AssetStatus.Queued), ct);
        }
    }

    public async Task GiveUpAsync(Lease lease, Exception failure, CancellationToken ct)
    {
        if (await AssetOfAsync(lease, ct) is { } assetId)
        {
            var cause = failure is ToolTimeoutException
                ? failure.Message
                : $"Parsing failed {lease.Attempts} times for a server-side reason; ask the operator, or re-parse later.";
            await pipeline.FailAsync(new ParseJob(lease, assetId), cause, ct);
        }
    }

    /// <summary>Null when the job is gone (its asset was deleted).</summary>
    private Task<long?> AssetOfAsync(Lease lease, CancellationToken ct) =>
        db.Set<Job>().Where(j => j.Id == lease.Id).Select(j => (long?)j.AssetId).FirstOrDefaultAsync(ct);
}

/// <summary>At start, removes the uploads and scratch files a stopped instance left behind.</summary>
public sealed partial class LeftoverSweep(AssetFiles files, ILogger<LeftoverSweep> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (files.ClearLeftovers(TimeSpan.FromMinutes(10)) is > 0 and var removed)
        {
            LeftoversRemoved(logger, removed);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Removed {Bytes} bytes of uploads and scratch files left by a stopped instance")]
    private static partial void LeftoversRemoved(ILogger logger, long bytes);
}
