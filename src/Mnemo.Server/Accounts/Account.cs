using Microsoft.EntityFrameworkCore;

namespace Mnemo.Server.Accounts;

public enum AccountStatus
{
    Active,
    Disabled,
}

/// <summary>An account is memic's organization: it holds projects and owns one credit balance.</summary>
public sealed class Account
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public AccountStatus Status { get; set; } = AccountStatus.Active;
    public long Balance { get; set; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>
/// A project of an account. Everything a key stores and searches lives in one environment of one project.
/// The project every account starts with, <c>default</c>, has the account's own id (so the project id
/// that <c>GET /me</c> showed before projects existed still names it).
/// </summary>
public sealed class Project
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid AccountId { get; init; }
    public required string Name { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A named environment of a project (production, staging, …); every key is bound to one.</summary>
public sealed class AccountEnvironment
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid AccountId { get; init; }
    public Guid ProjectId { get; init; }
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
    public const string DefaultProject = "default";

    /// <summary>Every project has these two; each is created when first needed (a key, a request for it).</summary>
    public static readonly string[] StandardEnvironments = [DefaultEnvironment, "staging"];

    public static void Configure(ModelBuilder model)
    {
        model.Entity<Account>(e =>
        {
            e.ToTable("accounts");
            e.Property(a => a.Name).HasMaxLength(200);
            e.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(a => a.Name);
        });
        model.Entity<Project>(e =>
        {
            e.ToTable("projects");
            e.Property(x => x.Name).HasMaxLength(100);
            e.HasIndex(x => new { x.AccountId, x.Name }).IsUnique();
            e.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId);
        });
        model.Entity<AccountEnvironment>(e =>
        {
            e.ToTable("environments");
            e.Property(x => x.Name).HasMaxLength(63);
            e.HasIndex(x => new { x.ProjectId, x.Name }).IsUnique();
            e.HasIndex(x => x.AccountId);
            e.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId);
            e.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId);
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
