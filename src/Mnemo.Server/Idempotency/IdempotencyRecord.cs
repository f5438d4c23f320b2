using Microsoft.EntityFrameworkCore;

namespace Mnemo.Server.Idempotency;

public enum IdempotencyState
{
    InFlight,
    Done,
}

/// <summary>One Idempotency-Key of one account (or the operator): the request it stood for and its first answer.</summary>
public sealed class IdempotencyRecord
{
    public long Id { get; init; }

    /// <summary>"account:&lt;id&gt;" or "admin".</summary>
    public required string Scope { get; init; }
    public required string Key { get; init; }
    public required string Method { get; init; }

    /// <summary>Path and query string.</summary>
    public required string Target { get; init; }
    public IdempotencyState State { get; set; }

    /// <summary>SHA-256 of the request body, hex; known once the first request is done.</summary>
    public string? BodyHash { get; set; }
    public int? Status { get; set; }
    public string? ContentType { get; set; }
    public string? Location { get; set; }

    /// <summary>The response body; null when it was over the size cap (a replay then answers duplicate_request).</summary>
    public byte[]? Body { get; set; }
    public bool BodyKept { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// A done key is forgotten then; an in-flight key is held only until then (a short lease its instance
    /// renews while the request runs), so a key whose instance died is free again soon.
    /// </summary>
    public DateTime ExpiresAt { get; set; }
}

public static class IdempotencyModel
{
    public static void Configure(ModelBuilder model) => model.Entity<IdempotencyRecord>(e =>
    {
        e.ToTable("idempotency_keys");
        e.HasIndex(r => new { r.Scope, r.Key }).IsUnique();
        e.HasIndex(r => r.ExpiresAt);
        e.Property(r => r.Scope).HasMaxLength(64);
        e.Property(r => r.Key).HasMaxLength(255);
        e.Property(r => r.Method).HasMaxLength(16);
        e.Property(r => r.Target).HasMaxLength(2048);
        e.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        e.Property(r => r.BodyHash).HasMaxLength(64);
        e.Property(r => r.ContentType).HasMaxLength(200);
        e.Property(r => r.Location).HasMaxLength(2048);
    });
}
