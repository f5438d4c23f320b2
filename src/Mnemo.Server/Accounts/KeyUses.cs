using System.Collections.Concurrent;

namespace Mnemo.Server.Accounts;

/// <summary>
/// When each key last authenticated a request, on this instance since it started: the console's "last use".
/// Kept in memory, never written per request (a status poll must stay as cheap as it is); a restart forgets it.
/// </summary>
public sealed class KeyUses(TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, DateTime> last = new();

    public void Touch(Guid keyId) => last[keyId] = time.GetUtcNow().UtcDateTime;

    public DateTime? LastUse(Guid keyId) => last.TryGetValue(keyId, out var at) ? at : null;
}

/// <summary>A key as its owner and the operator see it: never the secret, only its prefix.</summary>
public sealed record KeyView(
    Guid Id, string Prefix, Guid ProjectId, string ProjectName, string Environment, DateTime CreatedAt,
    DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt, IReadOnlyList<string> AllowedIps);
