using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Assets;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Billing;

/// <summary>
/// Storage per GB-day: each UTC day is charged once, at its start, for the original bytes an account
/// stores at that moment (assets not deleted). A file uploaded and deleted within one day is free.
/// The ledger reference <c>storage:yyyy-MM-dd</c> and its reserve-once index make a day charged once,
/// however many instances run the check. An account that cannot pay keeps its files: the charge
/// takes what the balance holds and the ledger names the shortfall.
/// </summary>
public sealed class StorageCharges(MnemoDb db, Charges charges, Prices prices)
{
    public static string Reference(DateOnly day) => $"storage:{day:yyyy-MM-dd}";

    /// <returns>How many accounts were charged for <paramref name="day"/> by this call.</returns>
    public async Task<int> ChargeDayAsync(DateOnly day, CancellationToken ct)
    {
        var reference = Reference(day);
        var stored = await db.Set<Asset>()
            .Where(a => a.DeletedAt == null && a.Sha256 != null)
            .GroupBy(a => a.AccountId)
            .Select(g => new { AccountId = g.Key, Bytes = g.Sum(a => a.Size) })
            .ToListAsync(ct);
        var charged = 0;
        foreach (var account in stored.Where(s => s.Bytes > 0))
        {
            if (await db.Ledger.AnyAsync(l => l.AccountId == account.AccountId && l.Reference == reference, ct))
            {
                continue;
            }

            var price = prices.StorageDay(account.Bytes);
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await Credits.LockAsync(db, account.AccountId, ct);
                var balance = await db.Accounts.Where(a => a.Id == account.AccountId).Select(a => a.Balance).SingleAsync(ct);
                await charges.ReserveAsync(account.AccountId, Charges.SystemActor,
                    price with { Credits = Math.Min(balance, price.Credits) }, reference, null, ct);
                await charges.SettleAsync(account.AccountId, reference, price, null, ct);
                await transaction.CommitAsync(ct);
                charged++;
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear(); // another instance charged this account for the day first
            }
        }

        return charged;
    }
}

/// <summary>Checks every <see cref="BillingOptions.StorageCheckMinutes"/> whether today is charged yet.</summary>
public sealed class StorageBilling(
    IServiceScopeFactory scopes, TimeProvider time, Microsoft.Extensions.Options.IOptions<BillingOptions> options, ILogger<StorageBilling> logger)
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
                var charged = await scope.ServiceProvider.GetRequiredService<StorageCharges>().ChargeDayAsync(today, stoppingToken);
                if (charged > 0)
                {
                    logger.LogInformation("Charged storage for {Day} to {Count} accounts", today, charged);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not charge storage; will retry");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

/// <summary>Section Mnemo:Billing.</summary>
public sealed class BillingOptions
{
    /// <summary>How often an instance checks whether the day's storage is charged; 0 turns the charge off.</summary>
    public int StorageCheckMinutes { get; set; } = 60;
}
