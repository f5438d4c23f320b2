using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Work;


namespace Mnemo.Server.Processing;

/// <summary>A callback to deliver (the v1 <c>callback</c> URL), written in the transaction that ends the parse.</summary>
public sealed class CallbackDelivery : ILeasedRow
{
    public long Id { get; init; }
    public long AssetId { get; init; }
    public required string Url { get; init; }
    public required string Body { get; init; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public DateTime? AbandonedAt { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAt { get; init; }
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseExpiresAt { get; set; }

    /// <summary>The outbox as leased work: undelivered and due, or held by a sender whose lease ran out; oldest first.</summary>
    public static LeaseTable<CallbackDelivery> Table(TimeProvider time, double leaseSeconds) => new(time)
    {
        Table = "callback_outbox",
        LeaseSeconds = leaseSeconds,
        Runnable = now => c => c.DeliveredAt == null && c.AbandonedAt == null
            && ((c.LeaseOwner == null && c.NextAttemptAt <= now) || (c.LeaseOwner != null && c.LeaseExpiresAt < now)),
        RunnableSql = """
            "DeliveredAt" IS NULL AND "AbandonedAt" IS NULL
            AND (("LeaseOwner" IS NULL AND "NextAttemptAt" <= {0}) OR ("LeaseOwner" IS NOT NULL AND "LeaseExpiresAt" < {0}))
            """,
        Held = c => c.DeliveredAt == null && c.AbandonedAt == null,
        Released = (s, runAfter, error, _) => s.SetProperty(c => c.NextAttemptAt, runAfter).SetProperty(c => c.LastError, error),
    };
}

public static class ProcessingModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<CallbackDelivery>(e =>
        {
            e.ToTable("callback_outbox");
            e.HasIndex(c => new { c.DeliveredAt, c.AbandonedAt, c.NextAttemptAt });
        });
    }
}
