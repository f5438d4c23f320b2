namespace Mnemo.Server.Work;

/// <summary>What the workers share: keeping a lease alive, and sleeping until stopped.</summary>
public static class WorkerLoops
{
    /// <summary>Renews a lease every third of its length while its work runs, until cancelled.</summary>
    public static async Task KeepLeaseAsync(
        IServiceScopeFactory scopes, double leaseSeconds, Func<IServiceProvider, CancellationToken, Task> renew,
        Action<Exception> failed, CancellationToken ct)
    {
        var every = TimeSpan.FromSeconds(Math.Max(0.2, leaseSeconds / 3));
        while (await SleepAsync(every, ct))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await renew(scope.ServiceProvider, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                failed(e);
            }
        }
    }

    /// <summary>False when stopped.</summary>
    public static async Task<bool> SleepAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
