using System.Collections.Concurrent;

namespace Mnemo.Server.RateLimits;

/// <summary>Fixed-window counters in this process: the limiter of the embedded (SQLite) default.</summary>
public sealed class InMemoryRateLimitStore(TimeProvider time) : IRateLimitStore
{
    private sealed class Counter
    {
        public DateTime WindowStart;
        public DateTime WindowEnd;
        public int Count;
        public bool Removed;
    }

    private const int SweepEvery = 4096;
    private readonly ConcurrentDictionary<string, Counter> counters = new();
    private int acquisitions;

    public ValueTask<RateLimitDecision> AcquireAsync(string bucket, RateLimitRule rule, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var start = RateLimitWindows.StartOf(now, rule.WindowSeconds);
        var end = start.AddSeconds(Math.Max(1, rule.WindowSeconds));
        if (Interlocked.Increment(ref acquisitions) % SweepEvery == 0)
        {
            Sweep(now);
        }

        while (true)
        {
            var counter = counters.GetOrAdd(bucket, static _ => new Counter());
            lock (counter)
            {
                if (counter.Removed)
                {
                    continue; // swept between lookup and lock: take the fresh one
                }

                if (counter.WindowStart != start)
                {
                    counter.WindowStart = start;
                    counter.WindowEnd = end;
                    counter.Count = 0;
                }

                if (counter.Count >= rule.Permits)
                {
                    return ValueTask.FromResult(new RateLimitDecision(false, rule.Permits, 0, end));
                }

                counter.Count++;
                return ValueTask.FromResult(new RateLimitDecision(true, rule.Permits, rule.Permits - counter.Count, end));
            }
        }
    }

    /// <summary>Drops counters whose window has ended (they would start from zero anyway).</summary>
    private void Sweep(DateTime now)
    {
        foreach (var (bucket, counter) in counters)
        {
            lock (counter)
            {
                if (counter.WindowEnd <= now)
                {
                    counter.Removed = true;
                    counters.TryRemove(new KeyValuePair<string, Counter>(bucket, counter));
                }
            }
        }
    }
}
