using Microsoft.EntityFrameworkCore;

namespace Mnemo.Server.Storage;

/// <summary>A once-per-store event (the first-start bootstrap): the primary key lets exactly one instance claim it.</summary>
public sealed class StoreMarker
{
    public required string Name { get; init; }
    public DateTime CreatedAt { get; init; }

    public static void Configure(ModelBuilder model) => model.Entity<StoreMarker>(e =>
    {
        e.ToTable("store_markers");
        e.HasKey(m => m.Name);
        e.Property(m => m.Name).HasMaxLength(64);
    });
}
