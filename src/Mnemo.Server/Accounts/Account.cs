using Microsoft.EntityFrameworkCore;

namespace Mnemo.Server.Accounts;

public enum AccountStatus
{
    Active,
    Disabled,
}

/// <summary>An account stands for memic's organization and project, and owns a credit balance.</summary>
public sealed class Account
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public AccountStatus Status { get; set; } = AccountStatus.Active;
    public long Balance { get; set; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>A named environment of an account (production, staging, …); every key is bound to one.</summary>
public sealed class AccountEnvironment
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid AccountId { get; init; }
    public required string Name { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>An API key. The secret itself is never stored: only its SHA-256 and a readable prefix.</summary>
public sealed class ApiKey
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid AccountId { get; init; }
    public Guid EnvironmentId { get; init; }
    public required string Prefix { get; init; }
    public required string Hash { get; init; }
    public DateTime? ExpiresAt { get; init; }
    public DateTime? RevokedAt { get; set; }

    /// <summary>CIDR blocks, space-separated; empty means any address.</summary>
    public string AllowedIps { get; init; } = "";

    public DateTime CreatedAt { get; init; }
}

public static class AccountsModel
{
    public const string DefaultEnvironment = "production";

    public static void Configure(ModelBuilder model)
    {
        model.Entity<Account>(e =>
        {
            e.ToTable("accounts");
            e.Property(a => a.Name).HasMaxLength(200);
            e.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(a => a.Name);
        });
        model.Entity<AccountEnvironment>(e =>
        {
            e.ToTable("environments");
            e.Property(x => x.Name).HasMaxLength(63);
            e.HasIndex(x => new { x.AccountId, x.Name }).IsUnique();
            e.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId);
        });
        model.Entity<ApiKey>(e =>
        {
            e.ToTable("api_keys");
            e.HasIndex(k => k.Hash).IsUnique();
            e.HasIndex(k => k.AccountId);
            e.Property(k => k.Prefix).HasMaxLength(32);
            e.Property(k => k.Hash).HasMaxLength(64);
            e.HasOne<Account>().WithMany().HasForeignKey(k => k.AccountId);
            e.HasOne<AccountEnvironment>().WithMany().HasForeignKey(k => k.EnvironmentId);
        });
    }
}
