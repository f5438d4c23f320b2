using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Billing;

/// <summary>
/// Storage per GB-day: each UTC day is charged once, at its start, for the original bytes an account
/// stores at that moment (assets not deleted). A file uploaded and deleted within one day is free.
/// The ledger reference <c>storage:yyyy-MM-dd</c> and its reserve-once index make a day charged once,
/// however many instances run the check. An account that cannot pay keeps its files: the charge
/// takes what the balance holds and the ledger names the shortfall. What is stored is read by
/// <c>Assets.StoredBytes</c>, which hands it here.
/// </summary>
public sealed class StorageCharges(MnemoDb db, Charges charges, Prices prices)
{
    public static string Reference(DateOnly day) => $"storage:{day:yyyy-MM-dd}";

    /// <param name="stored">The bytes each account stores at the start of <paramref name="day"/>.</param>
    /// <returns>How many accounts were charged for <paramref name="day"/> by this call.</returns>
    public async Task<int> ChargeDayAsync(DateOnly day, IReadOnlyList<StoredBytes> stored, CancellationToken ct)
    {
        var reference = Reference(day);
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

public sealed record StoredBytes(Guid AccountId, long Bytes);

/// <summary>Section Mnemo:Billing.</summary>
public sealed class BillingOptions
{
    /// <summary>How often an instance checks whether the day's storage is charged; 0 turns the charge off.</summary>
    public int StorageCheckMinutes { get; set; } = 60;
}
