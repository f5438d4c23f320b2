using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Errors;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Billing;

/// <summary>What a ledger row says about a balance change besides its amount.</summary>
public sealed record LedgerNote(string Kind, string Reason, string Actor, string? RequestId, string? Reference = null);

/// <summary>Balance changes: atomic, never below zero, each one a ledger row.</summary>
public static class Credits
{
    public static Task<long> AdjustAsync(
        MnemoDb db, Guid accountId, long amount, string reason, string actor, string? requestId,
        TimeProvider time, CancellationToken cancellationToken) =>
        AdjustAsync(db, accountId, amount, new LedgerNote(LedgerKinds.Adjust, reason, actor, requestId), time, cancellationToken);

    /// <summary>
    /// Adds <paramref name="amount"/> (negative debits) in one conditional UPDATE, so concurrent
    /// changes cannot take the balance below zero; the ledger row commits with it. Inside a transaction
    /// the caller opened (accepting work and charging for it together), it joins that transaction.
    /// </summary>
    public static async Task<long> AdjustAsync(
        MnemoDb db, Guid accountId, long amount, LedgerNote note, TimeProvider time, CancellationToken cancellationToken)
    {
        var owned = db.Database.CurrentTransaction is null;
        await using var transaction = owned ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var changed = await db.Accounts
            .Where(a => a.Id == accountId && a.Balance + amount >= 0)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Balance, a => a.Balance + amount), cancellationToken);
        if (changed == 0)
        {
            var exists = await db.Accounts.AnyAsync(a => a.Id == accountId, cancellationToken);
            throw new ApiException(exists
                ? new ApiError(ErrorCatalog.InsufficientCredits, "The balance cannot cover this debit.")
                : ApiError.NotFound("Account not found."));
        }

        var balance = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.Balance).SingleAsync(cancellationToken);
        db.Ledger.Add(new LedgerEntry
        {
            AccountId = accountId,
            Amount = amount,
            BalanceAfter = balance,
            Kind = note.Kind,
            Reason = Truncate(note.Reason, 200),
            Actor = note.Actor,
            RequestId = note.RequestId,
            Reference = note.Reference,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        (amount < 0 ? Hosting.MnemoMetrics.CreditsDebited : Hosting.MnemoMetrics.CreditsCredited).Add(Math.Abs(amount), new KeyValuePair<string, object?>("kind", note.Kind));
        return balance;
    }

    /// <summary>
    /// Holds the account's row until the caller's transaction ends (PostgreSQL row lock; SQLite has one
    /// writer anyway), for a change computed from the balance: read, decide, then adjust, with no other
    /// change in between to make the adjustment fail.
    /// </summary>
    public static Task LockAsync(MnemoDb db, Guid accountId, CancellationToken cancellationToken) =>
        db.Database.CurrentTransaction is null
            ? throw new InvalidOperationException("The account lock needs a transaction.")
            : db.Accounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(s => s.SetProperty(a => a.Balance, a => a.Balance), cancellationToken);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
