using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Mnemo.Server.Accounts;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Hosting;

/// <summary>Per-instance caches stay bounded however many distinct callers a long-running server sees.</summary>
public sealed class BoundedCacheTests
{
    [Fact]
    public async Task EverNewUnknownKeysDoNotGrowTheKeyCacheBeyondItsCap()
    {
        using var server = new MnemoServer(new Dictionary<string, string?>
        {
            ["Mnemo:Accounts:KeyCacheMaxEntries"] = "100",
            ["Mnemo:Accounts:KeyCacheSeconds"] = "60",
        });
        var account = await server.CreateAccountAsync();
        using var anonymous = server.Anonymous();
        for (var i = 0; i < 300; i++)
        {
            var junk = ApiKeys.Scheme + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/usage");
            request.Headers.TryAddWithoutValidation("X-API-Key", junk);
            (await anonymous.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var cache = server.Services.GetRequiredService<KeyCache>();
        cache.Count.ShouldBeLessThanOrEqualTo(100);

        // The cap costs a valid key nothing: it is still found (and cached again) after the others were dropped.
        using var client = server.WithKey(account.Key);
        (await client.GetAsync("/api/v1/usage")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
