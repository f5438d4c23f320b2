using System.Net;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.RateLimits;

public sealed class RateLimitTests : IDisposable
{
    // memic status polls: 3 an hour, so a test never straddles a window; a 2-second class for the wait test.
    private readonly MnemoServer server = new(new Dictionary<string, string?>
    {
        ["Mnemo:RateLimits:Memic:Status:Permits"] = "3",
        ["Mnemo:RateLimits:Memic:Status:WindowSeconds"] = "3600",
    });

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task EveryResponseOfALimitedRouteCarriesTheHeadersAndTheFourthIsA429InMemicShape()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);

        for (var i = 0; i < 3; i++)
        {
            var ok = await client.GetAsync("/api/v1/me");
            ok.StatusCode.ShouldBe(HttpStatusCode.OK);
            Header(ok, "RateLimit-Limit").ShouldBe("3");
            Header(ok, "RateLimit-Remaining").ShouldBe((2 - i).ToString());
            int.Parse(Header(ok, "RateLimit-Reset")).ShouldBeInRange(1, 3600);
        }

        var limited = await client.GetAsync("/api/v1/me");
        var body = await limited.ShouldBeMemicErrorAsync(429, "rate_limit_exceeded");
        var retryAfter = int.Parse(Header(limited, "Retry-After"));
        retryAfter.ShouldBeInRange(1, 3600);
        body.Str("detail").ShouldBe($"Rate limit exceeded. Retry after {retryAfter} seconds.");
        Header(limited, "RateLimit-Limit").ShouldBe("3");
        Header(limited, "RateLimit-Remaining").ShouldBe("0");
        Header(limited, "RateLimit-Reset").ShouldBe(retryAfter.ToString());
    }

    [Fact]
    public async Task MemicBudgetsArePerKeyAndRouteClassesShareThem()
    {
        var account = await server.CreateAccountAsync();
        using var first = server.WithKey(account.Key);
        (await first.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await first.GetAsync("/api/v1/usage")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await first.GetAsync("/api/v1/sdk/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await first.GetAsync("/api/v1/usage")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);

        using var admin = server.AdminClient();
        var secondKey = await (await admin.PostAsync($"/admin/accounts/{account.Id}/keys", JsonBody("{}"))).BodyAsync();
        using var second = server.WithKey(secondKey.Str("key"));
        var other = await second.GetAsync("/api/v1/me");
        other.StatusCode.ShouldBe(HttpStatusCode.OK);
        Header(other, "RateLimit-Remaining").ShouldBe("2");
    }

    [Fact]
    public async Task UnlimitedRoutesCarryNoRateLimitHeaders()
    {
        using var client = server.Anonymous();
        var catalog = await client.GetAsync("/api/v1/errors");
        catalog.StatusCode.ShouldBe(HttpStatusCode.OK);
        catalog.Headers.Contains("RateLimit-Limit").ShouldBeFalse();
    }

    [Fact]
    public async Task WaitingRetryAfterSecondsIsEnough()
    {
        using var fast = new MnemoServer(new Dictionary<string, string?>
        {
            ["Mnemo:RateLimits:Memic:Status:Permits"] = "2",
            ["Mnemo:RateLimits:Memic:Status:WindowSeconds"] = "2",
        });
        var account = await fast.CreateAccountAsync();
        using var client = fast.WithKey(account.Key);

        HttpResponseMessage? limited = null;
        for (var i = 0; i < 10 && limited is null; i++)
        {
            var response = await client.GetAsync("/api/v1/me");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
        }

        limited.ShouldNotBeNull();
        var retryAfter = int.Parse(Header(limited, "Retry-After"));
        retryAfter.ShouldBeInRange(1, 2);
        await Task.Delay(TimeSpan.FromSeconds(retryAfter));
        (await client.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheLimiterCanBeSwitchedOff()
    {
        using var off = new MnemoServer(new Dictionary<string, string?> { ["Mnemo:RateLimits:Enabled"] = "false" });
        var account = await off.CreateAccountAsync();
        using var client = off.WithKey(account.Key);
        var response = await client.GetAsync("/api/v1/me");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.Contains("RateLimit-Limit").ShouldBeFalse();
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : throw new ShouldAssertException($"no {name} header");

    private static StringContent JsonBody(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
