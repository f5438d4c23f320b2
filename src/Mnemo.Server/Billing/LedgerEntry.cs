using Microsoft.EntityFrameworkCore;

namespace Mnemo.Server.Billing;

/// <summary>One change of an account's balance: who, what, how much, and which request.</summary>
public sealed class LedgerEntry
{
    public long Id { get; init; }
    public Guid AccountId { get; init; }
    public long Amount { get; init; }
    public long BalanceAfter { get; init; }
    public required string Reason { get; init; }
    public required string Actor { get; init; }
    public string? RequestId { get; init; }
    public DateTime CreatedAt { get; init; }
}

public static class LedgerModel
{
    public static void Configure(ModelBuilder model) => model.Entity<LedgerEntry>(e =>
    {
        e.ToTable("ledger");
        e.HasIndex(l => new { l.AccountId, l.Id });
        e.Property(l => l.Reason).HasMaxLength(200);
        e.Property(l => l.Actor).HasMaxLength(100);
        e.Property(l => l.RequestId).HasMaxLength(140);
    });
}
