namespace Mnemo.Server.Accounts;

/// <summary>
/// Who is calling: set by the API-key check, read by every endpoint of the three surfaces. The key's
/// environment (<see cref="EnvironmentId"/>, which belongs to one project) scopes all it stores and reads.
/// </summary>
public sealed record Caller(Guid KeyId, Guid AccountId, string AccountName, Guid EnvironmentId, string EnvironmentSlug)
{
    public Guid ProjectId { get; init; } = AccountId;
    public string ProjectName { get; init; } = AccountsModel.DefaultProject;

    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult(context.Features.Get<Caller>());
}

/// <summary>Marks an endpoint under a surface prefix that needs no API key (the catalog, signed upload URLs).</summary>
public sealed record PublicEndpoint : Microsoft.AspNetCore.Authorization.IAllowAnonymous;

public sealed class AccountsOptions
{
    /// <summary>How long a key lookup is reused. A revoke or an account change clears it at once on this instance.</summary>
    public double KeyCacheSeconds { get; set; } = 1;

    /// <summary>At most this many key lookups (known or unknown keys) are kept per instance.</summary>
    public int KeyCacheMaxEntries { get; set; } = 10_000;

    /// <summary>Proxies (CIDR) whose X-Forwarded-For is believed. Empty: the socket address is the client.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Credits given to the account the first start creates.</summary>
    public long BootstrapCredits { get; set; } = 10_000;
}
