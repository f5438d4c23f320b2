using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Accounts;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Assets;

/// <summary>
/// The asset rows that status polls (memories v1 get_metadata, v2 metadata) read, kept for a moment
/// per instance, so polling a ready asset costs no database read. Any write to the assets table on this
/// instance (upload, parse step, parse end, delete, re-parse: <see cref="AssetWriteWatch"/>) invalidates
/// every entry at once; a write by another instance is seen within <see cref="AssetOptions.PollCacheSeconds"/>
/// (at most 1 s; docs/deploy.md). Entries are shared: callers must not modify the asset they get.
/// </summary>
public sealed class AssetReadCache(IServiceScopeFactory scopes, IOptions<AssetOptions> options, TimeProvider time)
{
    private const int MaxEntries = 10_000;

    private static readonly Func<MnemoDb, long, CancellationToken, Task<Asset?>> ById =
        EF.CompileAsyncQuery((MnemoDb db, long id, CancellationToken _) => db.Set<Asset>().AsNoTracking().FirstOrDefault(a => a.Id == id));

    private sealed record Entry(Asset Asset, long Generation, long ExpiresAt);

    private readonly ConcurrentDictionary<long, Entry> entries = new();
    private readonly long ttl = (long)(Math.Clamp(options.Value.PollCacheSeconds, 0, 1) * time.TimestampFrequency);
    private long generation;

    /// <summary>A live asset of the caller's environment, else asset_not_found (as <see cref="AssetService.GetAsync"/>).</summary>
    public async ValueTask<Asset> GetAsync(Caller caller, long id, CancellationToken ct) =>
        await FindAsync(caller, id, ct) ?? throw AssetService.NotFound();

    /// <summary>A live asset of the caller's environment, else null.</summary>
    public async ValueTask<Asset?> FindAsync(Caller caller, long id, CancellationToken ct)
    {
        var asset = TryGet(id) ?? await LoadAsync(id, ct);
        return asset is null || asset.EnvironmentId != caller.EnvironmentId || asset.DeletedAt is not null ? null : asset;
    }

    /// <summary>An asset row changed on this instance (or may have): nothing read before it is served again.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref generation);
        entries.Clear();
    }

    private Asset? TryGet(long id) =>
        entries.TryGetValue(id, out var entry) && entry.Generation == Volatile.Read(ref generation) && entry.ExpiresAt > time.GetTimestamp()
            ? entry.Asset
            : null;

    private async Task<Asset?> LoadAsync(long id, CancellationToken ct)
    {
        // Taken before the read: a write that commits after it makes this entry stale on arrival.
        var seen = Volatile.Read(ref generation);
        var expires = time.GetTimestamp() + ttl;
        await using var scope = scopes.CreateAsyncScope();
        var asset = await ById(scope.ServiceProvider.GetRequiredService<MnemoDb>(), id, ct);
        if (asset is not null && ttl > 0)
        {
            if (entries.Count >= MaxEntries)
            {
                entries.Clear();
            }

            entries[id] = new Entry(asset, seen, expires);
        }

        return asset;
    }
}
