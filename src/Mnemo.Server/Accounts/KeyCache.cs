using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Accounts;

/// <summary>What a key lookup yields: everything the per-request check needs, in one row.</summary>
public sealed record KeyGrant(
    Guid KeyId,
    Guid AccountId,
    string AccountName,
    AccountStatus AccountStatus,
    Guid ProjectId,
    string ProjectName,
    Guid EnvironmentId,
    string EnvironmentSlug,
    DateTime? ExpiresAt,
    DateTime? RevokedAt,
    IpAllowList AllowList)
{
    public bool ProjectActive { get; init; } = true;

    /// <summary>Built once per lookup, shared by the requests the grant serves.</summary>
    public Caller Caller { get; } = new(KeyId, AccountId, AccountName, EnvironmentId, EnvironmentSlug)
    {
        ProjectId = ProjectId,
        ProjectName = ProjectName,
    };
}

/// <summary>
/// Key lookups by hash, reused for a short while; unknown keys are cached too, as null. Bounded
/// (<see cref="AccountsOptions.KeyCacheMaxEntries"/>): a client trying ever new keys must not grow it.
/// </summary>
public sealed class KeyCache(IOptions<AccountsOptions> options, TimeProvider time)
{
    private readonly ExpiringEntries<KeyHash, KeyGrant?> entries = new(options.Value.KeyCacheMaxEntries);

    public int Count => entries.Count;

    /// <summary>The request's database is opened only on a miss.</summary>
    public ValueTask<KeyGrant?> FindAsync(KeyHash hash, HttpContext request)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return entries.TryGet(hash, now, out var cached)
            ? ValueTask.FromResult(cached)
            : LoadAsync(hash, request.RequestServices.GetRequiredService<MnemoDb>(), now, request.RequestAborted);
    }

    private async ValueTask<KeyGrant?> LoadAsync(KeyHash hash, MnemoDb db, DateTime now, CancellationToken cancellationToken)
    {
        var stored = hash.ToString();
        var grant = await (
            from key in db.ApiKeys
            join account in db.Accounts on key.AccountId equals account.Id
            join environment in db.Environments on key.EnvironmentId equals environment.Id
            join project in db.Projects on environment.ProjectId equals project.Id
            where key.Hash == stored
            select new
            {
                key.Id, key.AccountId, account.Name, account.Status, environment.ProjectId, Project = project.Name, ProjectActive = project.IsActive,
                key.EnvironmentId, Slug = environment.Name, key.ExpiresAt, key.RevokedAt, key.AllowedIps,
            })
            .AsNoTracking()
            .FirstOrDefaultAsync(cancellationToken);
        var result = grant is null
            ? null
            : new KeyGrant(grant.Id, grant.AccountId, grant.Name, grant.Status, grant.ProjectId, grant.Project, grant.EnvironmentId, grant.Slug,
                grant.ExpiresAt, grant.RevokedAt, IpAllowList.FromStored(grant.AllowedIps)) { ProjectActive = grant.ProjectActive };
        var ttl = TimeSpan.FromSeconds(options.Value.KeyCacheSeconds);
        if (ttl > TimeSpan.Zero)
        {
            entries.Set(hash, result, now + ttl, now);
        }

        return result;
    }

    public void Forget(string hash) => entries.Remove(KeyHash.Parse(hash));

    public void Clear() => entries.Clear();
}
