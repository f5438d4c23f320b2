using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Accounts;

namespace Mnemo.Server.Faults;

/// <summary>A key's fault profile: its requests fail at <see cref="Rate"/> with one of <see cref="Errors"/>.</summary>
public sealed class KeyFault
{
    public Guid KeyId { get; init; }
    public double Rate { get; set; }

    /// <summary>Catalog error names, space-separated.</summary>
    public required string Errors { get; set; }
    public int Seed { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public static class FaultsModel
{
    public static void Configure(ModelBuilder model) => model.Entity<KeyFault>(e =>
    {
        e.ToTable("key_faults");
        e.HasKey(f => f.KeyId);
        e.Property(f => f.Errors).HasMaxLength(1000);
        e.HasOne<ApiKey>().WithMany().HasForeignKey(f => f.KeyId).OnDelete(DeleteBehavior.Cascade);
    });
}
