using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Billing;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Assets;

/// <summary>A day's storage charge (<see cref="StorageCharges"/>) for the original bytes each account stores: assets not deleted.</summary>
public sealed class StorageDays(MnemoDb db, StorageCharges charges)
{
    /// <returns>How many accounts were charged for <paramref name="day"/> by this call.</returns>
    public async Task<int> ChargeAsync(DateOnly day, CancellationToken ct)
    {
        var stored = await db.Set<Asset>()
            .Where(a => a.DeletedAt == null && a.Sha256 != null)
            .GroupBy(a => a.AccountId)
            .Select(g => new StoredBytes(g.Key, g.Sum(a => a.Size)))
            .ToListAsync(ct);
        return await charges.ChargeDayAsync(day, stored, ct);
    }
}

/// <summary>Checks every <see cref="BillingOptions.StorageCheckMinutes"/> whether today is charged yet.</summary>
public sealed partial class StorageBilling(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<BillingOptions> options, ILogger<StorageBilling> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Max(1, options.Value.StorageCheckMinutes)), time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
                var charged = await scope.ServiceProvider.GetRequiredService<StorageDays>().ChargeAsync(today, stoppingToken);
                if (charged > 0)
                {
                    Charged(logger, today, charged);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                ChargeFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(LogLevel.Information, "Charged storage for {Day} to {Count} accounts")]
    private static partial void Charged(ILogger logger, DateOnly day, int count);

    [LoggerMessage(LogLevel.Warning, "Could not charge storage; will retry")]
    private static partial void ChargeFailed(ILogger logger, Exception exception);
}
