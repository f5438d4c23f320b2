using Microsoft.EntityFrameworkCore;

namespace Mnemo.Server.Processing;

/// <summary>A callback to deliver (the v1 <c>callback</c> URL), written in the transaction that ends the parse.</summary>
public sealed class CallbackDelivery
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
