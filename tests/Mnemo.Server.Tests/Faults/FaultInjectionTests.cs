using System.Net;
using System.Net.Http.Json;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Faults;

public sealed class FaultInjectionTests : IDisposable
{
    private static readonly string[] Teapot = ["teapot"];
    private static readonly string[] InternalError = ["internal_error"];
    private static readonly string[] ThreeErrors = ["rate_limit_exceeded", "internal_error", "service_unavailable"];

    private readonly MnemoServer server = new(new Dictionary<string, string?>
    {
        ["Mnemo:RateLimits:Memic:Status:Permits"] = "2",
        ["Mnemo:RateLimits:Memic:Status:WindowSeconds"] = "3600",
    });

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task ServiceUnavailableAnswersOnEverySurfaceWithRetryAfter()
    {
        var account = await server.CreateAccountAsync();
        await server.SetFaultsAsync(account.KeyId, 1.0, ["service_unavailable"]);
        using var client = server.WithKey(account.Key);

        var memic = await client.GetAsync("/api/v1/me");
        await memic.ShouldBeMemicErrorAsync(503, "service_unavailable");
        memic.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        var v1 = await client.PostAsync("/serve/api/v1/search", null);
        await v1.ShouldBeV1ErrorAsync(503, "0503", "Service unavailable");
        v1.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        var v2 = await client.GetAsync("/serve/api/v2/re_1/metadata");
        await v2.ShouldBeV2ErrorAsync(503, "Service unavailable");
        v2.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task RateLimitExceededHasTheCatalogBodyOnEachSurfaceAndTheRateLimitHeadersOnALimitedRoute()
    {
        var account = await server.CreateAccountAsync();
        await server.SetFaultsAsync(account.KeyId, 1.0, ["rate_limit_exceeded"]);
        using var client = server.WithKey(account.Key);

        var memic = await client.GetAsync("/api/v1/me");
        var body = await memic.ShouldBeMemicErrorAsync(429, "rate_limit_exceeded");
        body.Str("detail").ShouldBe("Rate limit exceeded. Retry after 1 seconds.");
        memic.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        memic.Headers.GetValues("RateLimit-Limit").Single().ShouldBe("2");
        memic.Headers.GetValues("RateLimit-Remaining").Single().ShouldBe("0");
        memic.Headers.GetValues("RateLimit-Reset").Single().ShouldBe("1");

        var v1 = await client.PostAsync("/serve/api/v1/upload", null);
        await v1.ShouldBeV1ErrorAsync(429, "0429", "Rate limit exceeded");
        v1.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        var v2 = await client.PostAsync("/serve/api/v2/upload", null);
        await v2.ShouldBeV2ErrorAsync(429, "Rate limit exceeded");
        v2.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task InsufficientCreditsRendersAs402OnEverySurface()
    {
        var account = await server.CreateAccountAsync();
        await server.SetFaultsAsync(account.KeyId, 1.0, ["insufficient_credits"]);
        using var client = server.WithKey(account.Key);

        await (await client.GetAsync("/api/v1/me")).ShouldBeMemicErrorAsync(402, "insufficient_credits");
        await (await client.PostAsync("/serve/api/v1/upload", null)).ShouldBeV1ErrorAsync(402, "0402", "Insufficient balance or credits");
        await (await client.PostAsync("/serve/api/v2/upload", null)).ShouldBeV2ErrorAsync(402, "Insufficient balance or credits");
    }

    [Fact]
    public async Task TheSameSeedGivesTheSameSequenceAndKeysWithoutAProfileAreNeverTouched()
    {
        using var roomy = new MnemoServer();
        var account = await roomy.CreateAccountAsync();
        var twin = await roomy.CreateAccountAsync();
        var bystander = await roomy.CreateAccountAsync();
        await roomy.SetFaultsAsync(account.KeyId, 0.5, ["internal_error", "service_unavailable"], seed: 42);
        await roomy.SetFaultsAsync(twin.KeyId, 0.5, ["internal_error", "service_unavailable"], seed: 42);

        var first = await StatusesAsync(roomy, account.Key, 30);
        var second = await StatusesAsync(roomy, twin.Key, 30);
        var clean = await StatusesAsync(roomy, bystander.Key, 30);

        second.ShouldBe(first);
        first.ShouldContain(200);
        first.ShouldContain(s => s == 500 || s == 503);
        first.ShouldAllBe(s => s == 200 || s == 500 || s == 503);
        clean.ShouldAllBe(s => s == 200);
        var random = new Random(42);
        var expected = Enumerable.Range(0, 30)
            .Select(_ => random.NextDouble() < 0.5 ? (random.Next(2) == 0 ? 500 : 503) : 200).ToList();
        first.ShouldBe(expected);
    }

    [Fact]
    public async Task FaultsComeBeforeRateLimitingAndStopWhenTheProfileIsDeleted()
    {
        var account = await server.CreateAccountAsync();
        await server.SetFaultsAsync(account.KeyId, 1.0, ["internal_error"]);
        using var client = server.WithKey(account.Key);
        for (var i = 0; i < 5; i++)
        {
            var faulted = await client.GetAsync("/api/v1/me");
            await faulted.ShouldBeMemicErrorAsync(500, "internal_error");
            faulted.Headers.GetValues("Mnemo-Injected-Fault").Single().ShouldBe("internal_error");
        }

        using var admin = server.AdminClient();
        (await admin.DeleteAsync($"/admin/keys/{account.KeyId}/faults")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await admin.DeleteAsync($"/admin/keys/{account.KeyId}/faults")).ShouldBeMemicErrorAsync(404, "not_found");

        // The five faulted requests used none of the budget of 2.
        (await client.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task TheAdminApiValidatesProfiles()
    {
        var account = await server.CreateAccountAsync();
        using var admin = server.AdminClient();
        var url = $"/admin/keys/{account.KeyId}/faults";

        await (await admin.PutAsJsonAsync(url, new { rate = 0.3, errors = Teapot })).ShouldBeMemicErrorAsync(422, "unprocessable_entity");
        await (await admin.PutAsJsonAsync(url, new { rate = 1.5, errors = InternalError })).ShouldBeMemicErrorAsync(422, "unprocessable_entity");
        await (await admin.PutAsJsonAsync(url, new { rate = 0.3, errors = Array.Empty<string>() })).ShouldBeMemicErrorAsync(422, "unprocessable_entity");
        await (await admin.PutAsJsonAsync(url, new { errors = InternalError })).ShouldBeMemicErrorAsync(400, "invalid_request");
        await (await admin.PutAsJsonAsync($"/admin/keys/{Guid.NewGuid()}/faults", new { rate = 0.3, errors = InternalError }))
            .ShouldBeMemicErrorAsync(404, "not_found");
        await (await admin.GetAsync(url)).ShouldBeMemicErrorAsync(404, "not_found");

        var put = await admin.PutAsJsonAsync(url, new { rate = 0.3, errors = ThreeErrors });
        put.StatusCode.ShouldBe(HttpStatusCode.OK);
        var profile = await put.BodyAsync();
        profile.GetProperty("rate").GetDouble().ShouldBe(0.3);
        profile.GetProperty("errors").GetArrayLength().ShouldBe(3);
        var seed = profile.GetProperty("seed").GetInt32();
        (await (await admin.GetAsync(url)).BodyAsync()).GetProperty("seed").GetInt32().ShouldBe(seed);

        using var anonymous = server.Anonymous();
        await (await anonymous.PutAsJsonAsync(url, new { rate = 1, errors = InternalError })).ShouldBeMemicErrorAsync(401, "invalid_api_key");
    }

    private static async Task<List<int>> StatusesAsync(MnemoServer server, string key, int count)
    {
        using var client = server.WithKey(key);
        var statuses = new List<int>();
        for (var i = 0; i < count; i++)
        {
            statuses.Add((int)(await client.GetAsync("/api/v1/usage")).StatusCode);
        }

        return statuses;
    }
}
