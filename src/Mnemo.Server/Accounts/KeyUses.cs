using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Mnemo.Server.Accounts;

/// <summary>
/// When each key last authenticated a request, on this instance since it started: the console's "last use".
/// Kept in memory, never written per request (a status poll must stay as cheap as it is); a restart forgets it.
/// A request reads its key's slot without a lock and writes it at most once a second, so the many requests of
/// one busy key do not contend for it. Only keys that authenticated get a slot: the map is as big as the key table.
/// </summary>
public sealed class KeyUses(TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, StrongBox<long>> last = new();

    public void Touch(Guid keyId)
    {
        var now = time.GetUtcNow().UtcTicks;
        var slot = last.GetOrAdd(keyId, static _ => new StrongBox<long>());
        if (now - Volatile.Read(ref slot.Value) >= TimeSpan.TicksPerSecond)
        {
            Volatile.Write(ref slot.Value, now);
        }
    }

    public DateTime? LastUse(Guid keyId) =>
        last.TryGetValue(keyId, out var slot) && Volatile.Read(ref slot.Value) is > 0 and var ticks ? new DateTime(ticks, DateTimeKind.Utc) : null;
}

/// <summary>A key as its owner and the operator see it: never the secret, only its prefix.</summary>
public sealed record KeyView(
    Guid Id, string Prefix, Guid ProjectId, string ProjectName, string Environment, DateTime CreatedAt,
    DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt, IReadOnlyList<string> AllowedIps);
