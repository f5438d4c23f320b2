using Microsoft.EntityFrameworkCore;

namespace Mnemo.Server.Billing;

/// <summary>What kind of balance change a ledger row records.</summary>
public static class LedgerKinds
{
    /// <summary>An operator's top-up or debit, a starting balance.</summary>
    public const string Adjust = "adjust";

    /// <summary>A billable operation's price taken when the work is accepted.</summary>
    public const string Reserve = "reserve";

    /// <summary>
    /// More taken for a reservation, once the work turned out bigger than estimated (a PDF's real page count)
    /// and before it is done; a settle or refund closes it with the reservation.
    /// </summary>
    public const string Extend = "extend";

    /// <summary>The difference between the reservation and the actual price, when the work ends.</summary>
    public const string Settle = "settle";

    /// <summary>The reservation given back, because the work failed.</summary>
    public const string Refund = "refund";
}

/// <summary>One change of an account's balance: who, what, how much, and which request.</summary>
public sealed class LedgerEntry
{
    public long Id { get; init; }
    public Guid AccountId { get; init; }
    public long Amount { get; init; }
    public long BalanceAfter { get; init; }
    public string Kind { get; init; } = LedgerKinds.Adjust;
    public required string Reason { get; init; }

    /// <summary>"key:&lt;id&gt;", "admin", "system" or "bootstrap".</summary>
    public required string Actor { get; init; }
    public string? RequestId { get; init; }

    /// <summary>What a reservation pays for (e.g. "asset:&lt;id&gt;"); ties its settle or refund to it.</summary>
    public string? Reference { get; init; }
    public DateTime CreatedAt { get; init; }
}

public static class LedgerModel
{
    public static void Configure(ModelBuilder model) => model.Entity<LedgerEntry>(e =>
    {
        e.ToTable("ledger");
        e.HasIndex(l => new { l.AccountId, l.Id });
        e.Property(l => l.Kind).HasMaxLength(16);
        e.Property(l => l.Reason).HasMaxLength(200);
        e.Property(l => l.Actor).HasMaxLength(100);
        e.Property(l => l.RequestId).HasMaxLength(140);
        e.Property(l => l.Reference).HasMaxLength(140);
        // One reservation per reference, and one closing row (settle or refund): a retried worker
        // can never settle or refund twice.
        e.HasIndex(l => new { l.AccountId, l.Reference }, "ix_ledger_reserve_once").IsUnique()
            .HasFilter($"\"Kind\" = '{LedgerKinds.Reserve}' AND \"Reference\" IS NOT NULL");
        e.HasIndex(l => new { l.AccountId, l.Reference }, "ix_ledger_close_once").IsUnique()
            .HasFilter($"\"Kind\" IN ('{LedgerKinds.Settle}', '{LedgerKinds.Refund}') AND \"Reference\" IS NOT NULL");
    });
}
