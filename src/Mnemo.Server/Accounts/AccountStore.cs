using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Errors;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Accounts;

/// <summary>
/// Gives a new account its starting balance, in the transaction the caller may have opened. Provided by
/// Billing, which owns balances and the ledger: Accounts names no billing rule.
/// </summary>
public delegate Task<long> StartingCredits(MnemoDb db, Guid accountId, long credits, string actor, string? requestId, CancellationToken ct);

/// <summary>Accounts, projects, environments and keys: the rules, once, for the admin API and the bootstrap.</summary>
public sealed partial class AccountStore(MnemoDb db, KeyCache cache, KeyUses uses, StartingCredits startingCredits, TimeProvider time)
{
    public sealed record CreatedKey(ApiKey Key, string Secret, Guid ProjectId, string Environment);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex Slug();

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<Account> CreateAccountAsync(string name, long credits, string actor, string? requestId, CancellationToken ct)
    {
        if (credits < 0)
        {
            throw new ApiException(ApiError.Unprocessable("credits must not be negative."));
        }

        var account = new Account { Name = name, CreatedAt = Now };
        db.Accounts.Add(account);
        var project = new Project { Id = account.Id, AccountId = account.Id, Name = AccountsModel.DefaultProject, CreatedAt = Now, UpdatedAt = Now };
        db.Projects.Add(project);
        db.Environments.Add(new AccountEnvironment { AccountId = account.Id, ProjectId = project.Id, Name = AccountsModel.DefaultEnvironment, CreatedAt = Now });
        await db.SaveChangesAsync(ct);
        if (credits > 0)
        {
            account.Balance = await startingCredits(db, account.Id, credits, actor, requestId, ct);
        }

        return account;
    }

    public async Task<Account> FindAccountAsync(Guid id, CancellationToken ct) =>
        await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct)
        ?? throw new ApiException(ApiError.NotFound("Account not found."));

    public async Task<Account> SetStatusAsync(Guid id, AccountStatus status, CancellationToken ct)
    {
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Id == id, ct)
            ?? throw new ApiException(ApiError.NotFound("Account not found."));
        account.Status = status;
        await db.SaveChangesAsync(ct);
        cache.Clear();
        return account;
    }

    public async Task<Project> CreateProjectAsync(Guid accountId, string name, CancellationToken ct)
    {
        await FindAccountAsync(accountId, ct);
        name = CheckProjectName(name);
        if (await db.Projects.AnyAsync(p => p.AccountId == accountId && p.Name == name, ct))
        {
            throw new ApiException(ApiError.Duplicate($"Project '{name}' already exists."));
        }

        var project = new Project { AccountId = accountId, Name = name, CreatedAt = Now, UpdatedAt = Now };
        db.Projects.Add(project);
        await db.SaveChangesAsync(ct);
        return project;
    }

    public async Task<IReadOnlyList<Project>> ProjectsAsync(Guid accountId, CancellationToken ct) =>
        await db.Projects.AsNoTracking().Where(p => p.AccountId == accountId).OrderBy(p => p.CreatedAt).ThenBy(p => p.Name).ToListAsync(ct);

    public async Task<Project> UpdateProjectAsync(Guid projectId, string? name, bool? isActive, CancellationToken ct)
    {
        var project = await db.Projects.FirstOrDefaultAsync(p => p.Id == projectId, ct)
            ?? throw new ApiException(ApiError.NotFound("Project not found."));
        if (name is not null)
        {
            name = CheckProjectName(name);
            if (name != project.Name && await db.Projects.AnyAsync(p => p.AccountId == project.AccountId && p.Name == name, ct))
            {
                throw new ApiException(ApiError.Duplicate($"Project '{name}' already exists."));
            }

            project.Name = name;
        }

        project.IsActive = isActive ?? project.IsActive;
        project.UpdatedAt = Now;
        await db.SaveChangesAsync(ct);
        cache.Clear();
        return project;
    }

    /// <summary>Kept for compatibility: adds the environment to the account's default project.</summary>
    public async Task<AccountEnvironment> CreateEnvironmentAsync(Guid accountId, string name, CancellationToken ct)
    {
        if (!Slug().IsMatch(name))
        {
            throw new ApiException(ApiError.Unprocessable("name must be lowercase letters, digits and '-' (at most 63)."));
        }

        await FindAccountAsync(accountId, ct);
        if (await db.Environments.AnyAsync(e => e.ProjectId == accountId && e.Name == name, ct))
        {
            throw new ApiException(ApiError.Duplicate($"Environment '{name}' already exists."));
        }

        var environment = new AccountEnvironment { AccountId = accountId, ProjectId = accountId, Name = name, CreatedAt = Now };
        db.Environments.Add(environment);
        await db.SaveChangesAsync(ct);
        return environment;
    }

    /// <summary>A key for one environment of one project (default: the default project's production).</summary>
    public async Task<CreatedKey> CreateKeyAsync(
        Guid accountId, Guid? projectId, string? environmentName, DateTime? expiresAt, IReadOnlyList<string>? allowedIps, CancellationToken ct)
    {
        await FindAccountAsync(accountId, ct);
        var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == (projectId ?? accountId) && p.AccountId == accountId, ct)
            ?? throw new ApiException(ApiError.Unprocessable($"project '{projectId}' does not exist for this account."));
        var name = string.IsNullOrEmpty(environmentName) ? AccountsModel.DefaultEnvironment : environmentName;
        var environment = await db.Environments.FirstOrDefaultAsync(e => e.ProjectId == project.Id && e.Name == name, ct);
        if (environment is null && AccountsModel.StandardEnvironments.Contains(name))
        {
            environment = new AccountEnvironment { AccountId = accountId, ProjectId = project.Id, Name = name, CreatedAt = Now };
            db.Environments.Add(environment);
        }

        if (environment is null)
        {
            throw new ApiException(ApiError.Unprocessable($"environment '{name}' does not exist in project '{project.Name}'."));
        }

        if (expiresAt is { } expiry && expiry.ToUniversalTime() <= Now)
        {
            throw new ApiException(ApiError.Unprocessable("expires_at must be in the future."));
        }

        if (!IpAllowList.TryParse(allowedIps ?? [], out var allowList, out var invalid))
        {
            throw new ApiException(ApiError.Unprocessable($"allowed_ips: '{invalid}' is not a CIDR block."));
        }

        var generated = ApiKeys.Generate();
        var key = new ApiKey
        {
            AccountId = accountId,
            EnvironmentId = environment.Id,
            Prefix = generated.Prefix,
            Hash = generated.Hash,
            ExpiresAt = expiresAt?.ToUniversalTime(),
            AllowedIps = allowList.ToStored(),
            CreatedAt = Now,
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return new CreatedKey(key, generated.Secret, project.Id, environment.Name);
    }

    private static string CheckProjectName(string name)
    {
        name = name.Trim();
        return name.Length is > 0 and <= 100
            ? name
            : throw new ApiException(ApiError.Unprocessable("name must be 1 to 100 characters."));
    }

    /// <summary>Every account, oldest first (the operator's list).</summary>
    public async Task<IReadOnlyList<Account>> AccountsAsync(CancellationToken ct) =>
        await db.Accounts.AsNoTracking().OrderBy(a => a.CreatedAt).ThenBy(a => a.Name).ToListAsync(ct);

    /// <summary>The keys of an account, newest first, with their project, environment and last use.</summary>
    public async Task<IReadOnlyList<KeyView>> KeysAsync(Guid accountId, CancellationToken ct)
    {
        var rows = await (
            from key in db.ApiKeys
            join environment in db.Environments on key.EnvironmentId equals environment.Id
            join project in db.Projects on environment.ProjectId equals project.Id
            where key.AccountId == accountId
            select new { key, Environment = environment.Name, project.Id, project.Name })
            .AsNoTracking().ToListAsync(ct);
        return [.. rows.OrderByDescending(r => r.key.CreatedAt).Select(r => new KeyView(
            r.key.Id, r.key.Prefix, r.Id, r.Name, r.Environment, Utc(r.key.CreatedAt), Utc(r.key.ExpiresAt), Utc(r.key.RevokedAt),
            uses.LastUse(r.key.Id), IpAllowList.FromStored(r.key.AllowedIps).Blocks))];
    }

    private static DateTime Utc(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc);

    private static DateTime? Utc(DateTime? t) => t is { } v ? Utc(v) : null;

    /// <summary>The account a key belongs to, or null when there is no such key.</summary>
    public Task<Guid?> AccountOfKeyAsync(Guid keyId, CancellationToken ct) =>
        db.ApiKeys.Where(k => k.Id == keyId).Select(k => (Guid?)k.AccountId).FirstOrDefaultAsync(ct);

    public async Task RevokeKeyAsync(Guid keyId, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId, ct)
            ?? throw new ApiException(ApiError.NotFound("API key not found."));
        if (key.RevokedAt is not null)
        {
            throw new ApiException(ApiError.Duplicate("API key is already revoked."));
        }

        key.RevokedAt = Now;
        await db.SaveChangesAsync(ct);
        cache.Forget(key.Hash);
    }
}
