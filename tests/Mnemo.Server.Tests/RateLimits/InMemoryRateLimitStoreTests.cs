using Mnemo.Server.RateLimits;

namespace Mnemo.Server.Tests.RateLimits;

public sealed class InMemoryRateLimitStoreTests
{
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task AFixedWindowAllowsItsPermitsThenRefusesUntilItEnds()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, 250, TimeSpan.Zero));
        var store = new InMemoryRateLimitStore(clock);
        var rule = RateLimitRule.PerSecond(5);

        var decisions = new List<RateLimitDecision>();
        for (var i = 0; i < 6; i++)
        {
            decisions.Add(await store.AcquireAsync("memories:account:a:Upload", rule, CancellationToken.None));
        }

        decisions.Take(5).ShouldAllBe(d => d.Allowed);
        decisions.Select(d => d.Remaining).ShouldBe([4, 3, 2, 1, 0, 0]);
        decisions[5].Allowed.ShouldBeFalse();
        decisions[5].WindowEndsAt.ShouldBe(new DateTime(2026, 1, 1, 0, 0, 1, DateTimeKind.Utc));
        (await store.AcquireAsync("memories:account:b:Upload", rule, CancellationToken.None)).Allowed.ShouldBeTrue();

        clock.Now = clock.Now.AddMilliseconds(750);
        (await store.AcquireAsync("memories:account:a:Upload", rule, CancellationToken.None)).Remaining.ShouldBe(4);
    }

    [Fact]
    public async Task ConcurrentRequestsNeverExceedThePermits()
    {
        var store = new InMemoryRateLimitStore(new ManualClock(DateTimeOffset.UnixEpoch.AddDays(1)));
        var rule = new RateLimitRule { Permits = 50, WindowSeconds = 1 };
        var results = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ =>
            Task.Run(async () => await store.AcquireAsync("k", rule, CancellationToken.None))));
        results.Count(r => r.Allowed).ShouldBe(50);
    }
}
