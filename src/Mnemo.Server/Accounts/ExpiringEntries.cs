using System.Collections.Concurrent;

namespace Mnemo.Server.Accounts;

/// <summary>
/// A per-instance cache whose entries expire, with a size cap: a long-running server sees an unbounded
/// number of distinct keys (every API key ever tried, valid or not), so expired entries are swept every
/// <see cref="SweepEvery"/> writes, and a full cache drops its expired entries, then everything.
/// </summary>
public sealed class ExpiringEntries<TKey, TValue>(int maxEntries)
    where TKey : notnull
{
    private const int SweepEvery = 1024;

    private sealed record Entry(TValue Value, DateTime Until);

    private readonly ConcurrentDictionary<TKey, Entry> entries = new();
    private int writes;

    public int Count => entries.Count;

    public bool TryGet(TKey key, DateTime now, out TValue value)
    {
        if (entries.TryGetValue(key, out var entry) && entry.Until > now)
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>The value even if expired (to compare with what is loaded next), or default.</summary>
    public TValue? Peek(TKey key) => entries.TryGetValue(key, out var entry) ? entry.Value : default;

    public void Set(TKey key, TValue value, DateTime until, DateTime now)
    {
        if (Interlocked.Increment(ref writes) % SweepEvery == 0 || entries.Count >= maxEntries)
        {
            Sweep(now);
        }

        entries[key] = new Entry(value, until);
    }

    public void Remove(TKey key) => entries.TryRemove(key, out _);

    public void Clear() => entries.Clear();

    private void Sweep(DateTime now)
    {
        foreach (var (key, entry) in entries)
        {
            if (entry.Until <= now)
            {
                entries.TryRemove(new KeyValuePair<TKey, Entry>(key, entry));
            }
        }

        if (entries.Count >= maxEntries)
        {
            entries.Clear(); // all live: start over rather than grow (a miss costs one indexed read)
        }
    }
}
