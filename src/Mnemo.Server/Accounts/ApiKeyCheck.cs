using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Connections.Features;
using Mnemo.Server.Errors;

namespace Mnemo.Server.Accounts;

/// <summary>
/// The rules a presented API key must pass, each failure a catalog error. memories surfaces read
/// Authorization (raw key or Bearer); memic reads X-API-Key. Run by <see cref="ApiKeyAuthentication"/>.
/// </summary>
public static class ApiKeyCheck
{
    public const string MemicHeader = "X-API-Key";

    /// <summary>The key's caller, or an <see cref="ApiException"/>; <paramref name="surface"/> says which header carries the key.</summary>
    public static async ValueTask<Caller> AuthenticateAsync(HttpContext context, Surface surface, KeyCache cache, TimeProvider time)
    {
        var presented = surface == Surface.Memic
            ? context.Request.Headers[MemicHeader].ToString().Trim()
            : StripBearer(context.Request.Headers.Authorization.ToString());
        if (presented.Length == 0)
        {
            throw Denied(ErrorCatalog.InvalidApiKey, surface == Surface.Memic
                ? "Missing API key: send it in the X-API-Key header."
                : "Missing API key: send it in the Authorization header.");
        }

        if (!ApiKeys.IsWellFormed(presented))
        {
            throw Denied(ErrorCatalog.InvalidApiKey, "Malformed API key.");
        }

        var grant = await cache.FindAsync(HashOf(context, presented), context)
            ?? throw Denied(ErrorCatalog.InvalidApiKey, "Invalid API key.");
        if (grant.RevokedAt is not null)
        {
            throw Denied(ErrorCatalog.InvalidApiKey, "API key has been revoked.");
        }

        if (grant.ExpiresAt is { } expires && expires <= time.GetUtcNow().UtcDateTime)
        {
            throw Denied(ErrorCatalog.InvalidApiKey, "API key has expired.");
        }

        if (grant.AccountStatus == AccountStatus.Disabled)
        {
            throw Denied(ErrorCatalog.AccountDisabled, "The account is disabled.");
        }

        if (!grant.ProjectActive)
        {
            throw Denied(ErrorCatalog.Forbidden, $"The project '{grant.ProjectName}' of this API key is deactivated.");
        }

        if (!grant.AllowList.AllowsAll)
        {
            var address = context.Connection.RemoteIpAddress;
            if (!grant.AllowList.Allows(address))
            {
                var shown = address?.IsIPv4MappedToIPv6 == true ? address.MapToIPv4() : address;
                throw Denied(ErrorCatalog.IpNotAllowed, $"Requests from {shown} are not allowed for this API key.");
            }
        }

        if (context.Request.QueryString.HasValue)
        {
            EnsureEnvironment(grant.Caller, context.Request.Query["environment_slug"].ToString());
        }

        return grant.Caller;
    }

    /// <summary>A request that names another environment than its key's is forbidden (query or body).</summary>
    public static void EnsureEnvironment(Caller caller, string? requested)
    {
        if (!string.IsNullOrEmpty(requested) && !string.Equals(requested, caller.EnvironmentSlug, StringComparison.Ordinal))
        {
            throw Denied(ErrorCatalog.Forbidden,
                $"This API key is bound to environment '{caller.EnvironmentSlug}', not '{requested}'.");
        }
    }

    /// <summary>
    /// A keep-alive client sends the same key with every request, and SHA-256 is most of this check's
    /// cost: an HTTP/1.x connection (one request at a time) remembers the last key it carried and its
    /// hash. Matched in constant time: behind a proxy, one connection may carry several clients' keys.
    /// </summary>
    private static KeyHash HashOf(HttpContext context, string presented)
    {
        var items = HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol)
            ? context.Features.Get<IConnectionItemsFeature>()?.Items
            : null;
        if (items is not null && items.TryGetValue(typeof(PresentedKey), out var seen) && seen is PresentedKey last && last.Is(presented))
        {
            return last.Hash;
        }

        var hash = KeyHash.Of(presented);
        if (items is not null)
        {
            items[typeof(PresentedKey)] = new PresentedKey(presented, hash);
        }

        return hash;
    }

    private sealed record PresentedKey(string Secret, KeyHash Hash)
    {
        public bool Is(string presented) => presented.Length == Secret.Length
            && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(presented.AsSpan()), MemoryMarshal.AsBytes(Secret.AsSpan()));
    }

    private static string StripBearer(string header)
    {
        header = header.Trim();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : header;
    }

    private static ApiException Denied(ErrorKind kind, string detail) => new(new ApiError(kind, detail));
}
