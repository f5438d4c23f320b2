using Mnemo.Server.Storage;

namespace Mnemo.Server.Work;

/// <summary>What one kind of leased work does with a claimed row; resolved in a fresh scope for each call.</summary>
public interface IWork<T> where T : class, ILeasedRow
{
    /// <summary>Does the work and ends the row (<see cref="LeaseTable{T}.EndAsync"/>), in the work's own transaction.</summary>
    Task RunAsync(Lease lease, CancellationToken ct);

    /// <summary>The row was put back (a shutdown, or a retry to come): undo what a running row shows elsewhere.</summary>
    Task PutBackAsync(Lease lease, CancellationToken ct);

    /// <summary>The attempts ran out: end the row as failed.</summary>
    Task GiveUpAsync(Lease lease, Exception failure, CancellationToken ct);
}

/// <summary>How a kind of work is run: its name in logs, how many workers, how often an idle one looks, and its retries.</summary>
public sealed record WorkPolicy(string Name, int Workers, TimeSpan Poll, int? MaxAttempts, Func<Lease, TimeSpan> Backoff)
{
    /// <summary>A failure before <see cref="MaxAttempts"/> puts the row back after <see cref="Backoff"/>; null: always put back (the work ends itself).</summary>
    public bool Retries(Lease lease) => MaxAttempts is not { } max || lease.Attempts < max;
}

/// <summary>Tells idle workers of one kind in this process that a row was committed.</summary>
public sealed class WorkSignal<T> : IDisposable where T : class, ILeasedRow
{
    private readonly SemaphoreSlim semaphore = new(0, int.MaxValue);

    public void Release() => semaphore.Release();

    /// <summary>Wakes one idle worker unless one is already woken: a hint to look, which need not pile up.</summary>
    public void Nudge()
    {
        if (semaphore.CurrentCount == 0)
        {
            semaphore.Release();
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => semaphore.WaitAsync(timeout, ct);

    public void Dispose() => semaphore.Dispose();
}

/// <summary>
/// N workers claiming rows of one kind. A row's lease is renewed while it runs; on shutdown the row is
/// put back at once, and after a crash its lease runs out, so every waiting or held row resumes. A
/// failure is retried with backoff until the attempts run out, then the work gives up on the row.
/// </summary>
public sealed partial class LeasedWorkers<T>(
    IServiceScopeFactory scopes, LeaseTable<T> table, WorkSignal<T> signal, WorkPolicy policy, ILogger<LeasedWorkers<T>> logger)
    : BackgroundService where T : class, ILeasedRow
{
    private readonly string instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private int lookoutTaken;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, policy.Workers)
            .Select(i => Task.Run(() => LoopAsync($"{instance}:{policy.Name}{i}", stoppingToken), CancellationToken.None)));

    private async Task LoopAsync(string owner, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Lease? lease;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                lease = await table.ClaimAsync(scope.ServiceProvider.GetRequiredService<MnemoDb>(), owner, stop);
                if (lease is null)
                {
                    await IdleAsync(stop);
                    continue;
                }

                if (policy.Workers > 1)
                {
                    signal.Nudge(); // there may be more: an idle sibling looks now rather than at its next look
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
                ClaimFailed(logger, level, e, policy.Name);
                await WorkerLoops.SleepAsync(policy.Poll, stop);
                continue;
            }

            try
            {
                await RunAsync(lease, stop);
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                Stranded(logger, e, policy.Name, lease.Id);
                await WorkerLoops.SleepAsync(policy.Poll, stop);
            }
        }
    }

    /// <summary>
    /// Until a row is committed here (the signal) or it is time to look again. Rows committed by another
    /// instance, and retries coming due, are found only by looking, but one idle worker looking every
    /// <see cref="WorkPolicy.Poll"/> finds them as soon as all would: the others look ten times less often.
    /// An idle server then reads each queue once per poll, not once per worker per poll.
    /// </summary>
    private async Task IdleAsync(CancellationToken stop)
    {
        var lookout = Interlocked.CompareExchange(ref lookoutTaken, 1, 0) == 0;
        try
        {
            await signal.WaitAsync(lookout ? policy.Poll : policy.Poll * 10, stop);
        }
        finally
        {
            if (lookout)
            {
                Volatile.Write(ref lookoutTaken, 0);
            }
        }
    }

    private async Task RunAsync(Lease lease, CancellationToken stop)
    {
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var renewal = WorkerLoops.KeepLeaseAsync(scopes, table.LeaseSeconds,
            (services, token) => table.RenewAsync(services.GetRequiredService<MnemoDb>(), lease, token),
            e => RenewFailed(logger, e, policy.Name, lease.Id), running.Token);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IWork<T>>().RunAsync(lease, running.Token);
        }
        catch (Exception e) when (stop.IsCancellationRequested)
        {
            Interrupted(logger, e, policy.Name, lease.Id);
            await PutBackAsync(lease, TimeSpan.Zero, "interrupted by shutdown");
        }
        catch (Exception e)
        {
            await RetryOrGiveUpAsync(lease, e);
        }
        finally
        {
            await running.CancelAsync();
            await renewal;
        }
    }

    private async Task RetryOrGiveUpAsync(Lease lease, Exception e)
    {
        if (policy.Retries(lease))
        {
            Retrying(logger, e, policy.Name, lease.Id, lease.Attempts);
            await PutBackAsync(lease, policy.Backoff(lease), e.Message);
            return;
        }

        GaveUp(logger, e, policy.Name, lease.Id, lease.Attempts);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IWork<T>>().GiveUpAsync(lease, e, CancellationToken.None);
        }
        catch (Exception again)
        {
            FailureNotRecorded(logger, again, policy.Name, lease.Id);
        }
    }

    private async Task PutBackAsync(Lease lease, TimeSpan delay, string reason)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await table.ReleaseAsync(scope.ServiceProvider.GetRequiredService<MnemoDb>(), lease, delay, reason, CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<IWork<T>>().PutBackAsync(lease, CancellationToken.None);
        }
        catch (Exception e)
        {
            NotPutBack(logger, e, policy.Name, lease.Id);
        }
    }

    [LoggerMessage("Claiming {Kind} work failed; retrying")]
    private static partial void ClaimFailed(ILogger logger, LogLevel level, Exception exception, string kind);

    [LoggerMessage(LogLevel.Error, "{Kind} {Id} could not be ended or put back; its lease runs out and it runs again")]
    private static partial void Stranded(ILogger logger, Exception exception, string kind, long id);

    [LoggerMessage(LogLevel.Warning, "Could not renew the lease of {Kind} {Id}")]
    private static partial void RenewFailed(ILogger logger, Exception exception, string kind, long id);

    [LoggerMessage(LogLevel.Debug, "{Kind} {Id} interrupted by shutdown")]
    private static partial void Interrupted(ILogger logger, Exception exception, string kind, long id);

    [LoggerMessage(LogLevel.Warning, "{Kind} {Id} failed on attempt {Attempt}; it will run again")]
    private static partial void Retrying(ILogger logger, Exception exception, string kind, long id, int attempt);

    [LoggerMessage(LogLevel.Error, "{Kind} {Id} failed {Attempts} times; giving up")]
    private static partial void GaveUp(ILogger logger, Exception exception, string kind, long id, int attempts);

    [LoggerMessage(LogLevel.Error, "Could not record the failure of {Kind} {Id}; its lease will expire and it runs again")]
    private static partial void FailureNotRecorded(ILogger logger, Exception exception, string kind, long id);

    [LoggerMessage(LogLevel.Warning, "Could not put {Kind} {Id} back; its lease will expire instead")]
    private static partial void NotPutBack(ILogger logger, Exception exception, string kind, long id);
}
