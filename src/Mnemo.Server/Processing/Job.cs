using Microsoft.EntityFrameworkCore;

namespace Mnemo.Server.Processing;

public enum JobState
{
    Queued,
    Leased,
    Done,
}

/// <summary>One parse of one asset. Committed with the upload that asks for it; claimed with a lease.</summary>
public sealed class Job
{
    public long Id { get; init; }
    public long AssetId { get; init; }
    public JobState State { get; set; }
    public int Attempts { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseExpiresAt { get; set; }
    public DateTime RunAfter { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
}

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
        model.Entity<Job>(e =>
        {
            e.ToTable("jobs");
            e.Property(j => j.State).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(j => new { j.State, j.RunAfter });
            e.HasIndex(j => j.AssetId);
        });
        model.Entity<CallbackDelivery>(e =>
        {
            e.ToTable("callback_outbox");
            e.HasIndex(c => new { c.DeliveredAt, c.AbandonedAt, c.NextAttemptAt });
        });
    }
}
