using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Accounts;
using Mnemo.Server.Errors;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Billing;

/// <summary>
/// Billable work: reserve its price when the work is accepted, then settle to the actual price when it
/// ends, or refund when it fails. A reservation, its settle and its refund are tied by a reference
/// (e.g. "asset:&lt;id&gt;"); the ledger's unique indexes let each happen once.
/// </summary>
public sealed partial class Charges(MnemoDb db, TimeProvider time, ILogger<Charges> logger)
{
    public const string SystemActor = "system";

    public static string ActorOf(Caller caller) => $"key:{caller.KeyId}";

    /// <summary>
    /// The reference of a charge that is never settled (a download): new for every call. Not the request id,
    /// which a client may choose and send again, and which the reservation's unique index would refuse.
    /// </summary>
    public static string OneOff(string operation) => $"{operation}:{Guid.CreateVersion7():N}";

    /// <summary>
    /// The reference of a per-request charge: per Idempotency-Key when the request has one, so a retry of a
    /// request that was charged and then cut off (its instance died) is not charged again; else new per call.
    /// </summary>
    public static string ReferenceFor(HttpContext http, string operation) =>
        http.Features.Get<Idempotency.IdempotentRequest>() is { } key
            ? $"{operation}:idem:{key.RecordId.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
            : OneOff(operation);

    /// <summary>
    /// A cheap early check (no ledger row): answers insufficient_credits before a body is read or a byte
    /// stored. The reservation inside the accepting transaction is what really guards the balance.
    /// </summary>
    public async Task EnsureAffordableAsync(Caller caller, Charge charge, CancellationToken ct)
    {
        var balance = await db.Accounts.Where(a => a.Id == caller.AccountId).Select(a => a.Balance).SingleAsync(ct);
        if (balance < charge.Credits)
        {
            throw Insufficient(charge);
        }
    }

    /// <summary>
    /// Takes the price now. Call it inside the transaction that accepts the work (it joins it), before
    /// anything else is written; it throws insufficient_credits (402) and takes nothing when the balance
    /// cannot cover it.
    /// </summary>
    /// <returns>The balance after the reservation.</returns>
    public Task<long> ReserveAsync(Caller caller, Charge charge, string reference, string? requestId, CancellationToken ct) =>
        ReserveAsync(caller.AccountId, ActorOf(caller), charge, reference, requestId, ct);

    /// <summary>The same, for work whose request carries no key (a signed upload URL is its own credential).</summary>
    public async Task<long> ReserveAsync(Guid accountId, string actor, Charge charge, string reference, string? requestId, CancellationToken ct)
    {
        // Only one request at a time holds an idempotency key, so this check needs no lock.
        if (reference.Contains(":idem:", StringComparison.Ordinal)
            && await db.Ledger.AnyAsync(l => l.AccountId == accountId && l.Reference == reference && l.Kind == LedgerKinds.Reserve, ct))
        {
            return await db.Accounts.Where(a => a.Id == accountId).Select(a => a.Balance).SingleAsync(ct);
        }

        try
        {
            return await Credits.AdjustAsync(db, accountId, -charge.Credits,
                new LedgerNote(LedgerKinds.Reserve, charge.Description, actor, requestId, reference), time, ct);
        }
        catch (ApiException e) when (e.Error.Kind == ErrorCatalog.InsufficientCredits)
        {
            throw Insufficient(charge);
        }
    }

    /// <summary>
    /// The work ended: gives back what was reserved beyond <paramref name="actual"/>, or takes the rest
    /// (never below zero: a shortfall is written in the ledger's reason). False when already settled or refunded.
    /// </summary>
    public Task<bool> SettleAsync(Guid accountId, string reference, Charge actual, string? requestId, CancellationToken ct) =>
        CloseAsync(accountId, reference, requestId, async reserved =>
        {
            var delta = reserved - actual.Credits;
            if (delta >= 0)
            {
                await Credits.AdjustAsync(db, accountId, delta,
                    new LedgerNote(LedgerKinds.Settle, $"{actual.Description} ({actual.Credits} credits)", SystemActor, requestId, reference), time, ct);
                return;
            }

            await Credits.LockAsync(db, accountId, ct);
            var balance = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.Balance).SingleAsync(ct);
            var take = Math.Min(-delta, balance);
            var reason = take < -delta
                ? $"{actual.Description} ({actual.Credits} credits, short by {-delta - take})"
                : $"{actual.Description} ({actual.Credits} credits)";
            if (take < -delta)
            {
                // Work that can outgrow its reservation covers itself first (CoverAsync); a short settle is the exception.
                SettledShort(logger, reference, accountId, -delta - take, reason);
            }

            await Credits.AdjustAsync(db, accountId, -take, new LedgerNote(LedgerKinds.Settle, reason, SystemActor, requestId, reference), time, ct);
        }, ct);

    /// <summary>
    /// Raises a reservation to <paramref name="price"/> before doing work that turned out to cost more than
    /// reserved (one <see cref="LedgerKinds.Extend"/> row for the difference). Not covered, and nothing taken,
    /// when the balance cannot pay the difference. Work without an open reservation (accepted before billing
    /// existed, or already closed) counts as covered.
    /// </summary>
    public async Task<Coverage> CoverAsync(Guid accountId, string reference, Charge price, CancellationToken ct)
    {
        var rows = await db.Ledger
            .Where(l => l.AccountId == accountId && l.Reference == reference)
            .Select(l => new { l.Kind, l.Amount })
            .ToListAsync(ct);
        var reserved = -rows.Where(r => r.Kind is LedgerKinds.Reserve or LedgerKinds.Extend).Sum(r => r.Amount);
        if (reserved >= price.Credits || !rows.Any(r => r.Kind == LedgerKinds.Reserve) || rows.Any(r => r.Kind is LedgerKinds.Settle or LedgerKinds.Refund))
        {
            return new Coverage(true, reserved, null);
        }

        try
        {
            var balance = await Credits.AdjustAsync(db, accountId, reserved - price.Credits,
                new LedgerNote(LedgerKinds.Extend, $"{price.Description}: reservation raised to {price.Credits} credits", SystemActor, null, reference), time, ct);
            return new Coverage(true, price.Credits, balance);
        }
        catch (ApiException e) when (e.Error.Kind == ErrorCatalog.InsufficientCredits)
        {
            return new Coverage(false, reserved, await db.Accounts.Where(a => a.Id == accountId).Select(a => a.Balance).SingleAsync(ct));
        }
    }

    /// <summary>The work failed (e.g. a parse): the whole reservation goes back. False when already settled or refunded.</summary>
    public Task<bool> RefundAsync(Guid accountId, string reference, string reason, string? requestId, CancellationToken ct) =>
        CloseAsync(accountId, reference, requestId, reserved => Credits.AdjustAsync(db, accountId, reserved,
            new LedgerNote(LedgerKinds.Refund, reason, SystemActor, requestId, reference), time, ct), ct);

    private async Task<bool> CloseAsync(Guid accountId, string reference, string? requestId, Func<long, Task> close, CancellationToken ct)
    {
        var owned = db.Database.CurrentTransaction is null;
        await using var transaction = owned ? await db.Database.BeginTransactionAsync(ct) : null;
        var rows = await db.Ledger
            .Where(l => l.AccountId == accountId && l.Reference == reference)
            .Select(l => new { l.Kind, l.Amount })
            .ToListAsync(ct);
        if (rows.Any(r => r.Kind is LedgerKinds.Settle or LedgerKinds.Refund))
        {
            return false;
        }

        // Work accepted before billing existed has no reservation: nothing to settle.
        if (!rows.Any(r => r.Kind == LedgerKinds.Reserve))
        {
            return false;
        }

        var reserved = -rows.Where(r => r.Kind is LedgerKinds.Reserve or LedgerKinds.Extend).Sum(r => r.Amount);

        // Two closers can both see no settle row (PostgreSQL, read committed); the ledger's unique index
        // lets one win. The savepoint keeps a caller's surrounding transaction usable after the loss.
        var current = db.Database.CurrentTransaction!;
        await current.CreateSavepointAsync("close", ct);
        try
        {
            await close(reserved);
        }
        catch (DbUpdateException)
        {
            await current.RollbackToSavepointAsync("close", ct);
            foreach (var entry in db.ChangeTracker.Entries<LedgerEntry>().Where(e => e.State == EntityState.Added).ToList())
            {
                entry.State = EntityState.Detached;
            }

            return false;
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }

        return true;
    }

    /// <summary>What <see cref="CoverAsync"/> found: whether the reservation covers the price now, what it holds, and the balance beside it.</summary>
    public sealed record Coverage(bool Covered, long Reserved, long? Balance);

    private static ApiException Insufficient(Charge charge) => new(new ApiError(ErrorCatalog.InsufficientCredits,
        $"The balance cannot pay for this {charge.Operation} ({charge.Credits} credit{(charge.Credits == 1 ? "" : "s")})."));

    [LoggerMessage(LogLevel.Warning, "Settle of {Reference} for account {AccountId} is short by {Short} credits: {Reason}")]
    private static partial void SettledShort(ILogger logger, string reference, Guid accountId, long @short, string reason);
}
