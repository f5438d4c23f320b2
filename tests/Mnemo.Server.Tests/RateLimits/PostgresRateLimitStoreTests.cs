using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mnemo.Server.RateLimits;
using Mnemo.Server.Storage;
using Mnemo.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mnemo.Server.Tests.RateLimits;

/// <summary>The shared counters behind N instances: one upsert per request, exact under concurrency.</summary>
public sealed class PostgresRateLimitStoreTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ConcurrentAcquisitionsSpendOneBudgetExactlyAndANewWindowStartsAfresh()
    {
        if (TestDatabases.ServerConnectionString is null)
        {
            output.WriteLine("skipped: set MNEMO_TEST_POSTGRES; the embedded default uses InMemoryRateLimitStore");
            return;
        }

        var clock = new TestClock();
        using var server = new MnemoServer(configureServices: s => s.AddSingleton<TimeProvider>(clock));
        var store = server.Services.GetRequiredService<IRateLimitStore>();
        store.ShouldBeOfType<PostgresRateLimitStore>();
        var rule = new RateLimitRule { Permits = 7, WindowSeconds = 3600 };
        clock.Advance(RateLimitWindows.StartOf(DateTime.UtcNow, 3600).AddSeconds(3600) - DateTime.UtcNow + TimeSpan.FromSeconds(5)); // 5 s into a fresh window

        var windowEnd = RateLimitWindows.StartOf(clock.GetUtcNow().UtcDateTime, 3600).AddHours(1);
        var decisions = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => store.AcquireAsync("test:bucket", rule, CancellationToken.None).AsTask()));

        decisions.Count(d => d.Allowed).ShouldBe(7);
        decisions.Where(d => d.Allowed).Select(d => d.Remaining).Order().ShouldBe([0, 1, 2, 3, 4, 5, 6]);
        decisions.Where(d => !d.Allowed).ShouldAllBe(d => d.Remaining == 0 && d.Limit == 7);
        decisions.ShouldAllBe(d => d.WindowEndsAt == windowEnd);
        var end = windowEnd;

        clock.Advance(TimeSpan.FromHours(1));
        var next = await store.AcquireAsync("test:bucket", rule, CancellationToken.None);
        next.Allowed.ShouldBeTrue();
        next.Remaining.ShouldBe(6);
        next.WindowEndsAt.ShouldBe(end.AddHours(1));

        // A bucket whose window has ended is swept (at most once a minute per instance).
        await store.AcquireAsync("test:other", RateLimitRule.PerSecond(1), CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(2));
        await store.AcquireAsync("test:bucket", rule, CancellationToken.None);
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MnemoDb>();
        (await db.Set<RateLimitBucket>().Select(b => b.Key).ToListAsync()).ShouldBe(["test:bucket"]);
    }
}
