using Microsoft.EntityFrameworkCore;

namespace Mnemo.Server.RateLimits;

/// <summary>One budget's current fixed window, shared by every instance on PostgreSQL (rate_limit_buckets).</summary>
public sealed class RateLimitBucket
{
    public required string Key { get; init; }
    public DateTime WindowStart { get; set; }
    public DateTime WindowEnd { get; set; }
    public int Count { get; set; }
}

public static class RateLimitsModel
{
    public static void Configure(ModelBuilder model) => model.Entity<RateLimitBucket>(e =>
    {
        e.ToTable("rate_limit_buckets");
        e.HasKey(b => b.Key);
        e.Property(b => b.Key).HasMaxLength(200);
        e.HasIndex(b => b.WindowEnd);
    });
}
