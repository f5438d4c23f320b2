using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Storage;

namespace Mnemo.Server.RateLimits;

/// <summary>
/// Fixed-window counters in PostgreSQL, so N instances spend one budget. One upsert per request counts
/// it: a row whose window has passed restarts at 1, a full window stays at Permits + 1 (refused).
/// The same windows, decisions and headers as <see cref="InMemoryRateLimitStore"/>.
/// </summary>
public sealed class PostgresRateLimitStore(IServiceScopeFactory scopes, TimeProvider time) : IRateLimitStore
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);
    private long nextSweepTicks;

    private sealed class Counted
    {
        public int Count { get; init; }
        public DateTime WindowStart { get; init; }
        public DateTime WindowEnd { get; init; }
    }

    public async ValueTask<RateLimitDecision> AcquireAsync(string bucket, RateLimitRule rule, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var start = RateLimitWindows.StartOf(now, rule.WindowSeconds);
        var end = start.AddSeconds(Math.Max(1, rule.WindowSeconds));
        var full = rule.Permits + 1;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MnemoDb>();
        await SweepIfDueAsync(db, now, cancellationToken);

        // An instance whose clock lags never moves a window back: GREATEST keeps the newer one.
        var rows = await db.Database.SqlQuery<Counted>($"""
            INSERT INTO rate_limit_buckets AS b ("Key", "WindowStart", "WindowEnd", "Count")
            VALUES ({bucket}, {start}, {end}, 1)
            ON CONFLICT ("Key") DO UPDATE SET
                "Count" = CASE WHEN EXCLUDED."WindowStart" > b."WindowStart" THEN 1 ELSE LEAST(b."Count" + 1, {full}) END,
                "WindowStart" = GREATEST(b."WindowStart", EXCLUDED."WindowStart"),
                "WindowEnd" = GREATEST(b."WindowEnd", EXCLUDED."WindowEnd")
            RETURNING "Count", "WindowStart", "WindowEnd"
            """).ToListAsync(cancellationToken);
        var counted = rows.Single();
        var windowEnd = DateTime.SpecifyKind(counted.WindowEnd, DateTimeKind.Utc);
        return counted.Count > rule.Permits
            ? new RateLimitDecision(false, rule.Permits, 0, windowEnd)
            : new RateLimitDecision(true, rule.Permits, rule.Permits - counted.Count, windowEnd);
    }

    /// <summary>Once a minute per instance: rows whose window has ended would restart from zero anyway.</summary>
    private async Task SweepIfDueAsync(MnemoDb db, DateTime now, CancellationToken ct)
    {
        var due = Interlocked.Read(ref nextSweepTicks);
        if (now.Ticks < due || Interlocked.CompareExchange(ref nextSweepTicks, (now + SweepEvery).Ticks, due) != due)
        {
            return;
        }

        await db.Set<RateLimitBucket>().Where(b => b.WindowEnd < now).ExecuteDeleteAsync(ct);
    }
}
