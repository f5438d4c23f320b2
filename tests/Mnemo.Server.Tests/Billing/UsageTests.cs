using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Mnemo.Server.Billing;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Billing;

public sealed class UsageTests : IDisposable
{
    private readonly MnemoServer server = new(new Dictionary<string, string?>
    {
        ["Mnemo:Prices:SearchPerQuery"] = "7",
        ["Mnemo:Prices:IndexingPerVideoMinute"] = "4",
    });

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task UsagePagesTheLedgerNewestFirstWithWhoWhatAmountAndRequestId()
    {
        var account = await server.CreateAccountAsync(credits: 10);
        using var admin = server.AdminClient();
        var requestIds = new List<string>();
        for (var i = 1; i <= 4; i++)
        {
            var response = await admin.PostAsJsonAsync($"/admin/accounts/{account.Id}/credits", new { amount = i, reason = $"top-up {i}" });
            response.EnsureSuccessStatusCode();
            requestIds.Add(response.Headers.GetValues("X-Request-Id").Single());
        }

        using var client = server.WithKey(account.Key);
        var seen = new List<string>();
        string? cursor = null;
        for (var pages = 0; pages < 10; pages++)
        {
            var response = await client.GetAsync("/api/v1/usage?limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var body = await response.BodyAsync();
            body.GetProperty("balance").GetInt64().ShouldBe(20);
            var entries = body.GetProperty("entries").EnumerateArray().ToList();
            entries.Count.ShouldBeLessThanOrEqualTo(2);
            seen.AddRange(entries.Select(e => e.Str("reason")));
            foreach (var e in entries)
            {
                e.Str("actor").ShouldBe("admin");
                e.Str("created_at").ShouldEndWith("Z");
            }

            var next = body.GetProperty("next_cursor");
            if (next.ValueKind == System.Text.Json.JsonValueKind.Null)
            {
                break;
            }

            cursor = next.GetString();
        }

        seen.ShouldBe(["top-up 4", "top-up 3", "top-up 2", "top-up 1", "starting balance"]);
        var first = (await (await client.GetAsync("/api/v1/usage?limit=1")).BodyAsync()).GetProperty("entries")[0];
        first.Str("request_id").ShouldBe(requestIds[^1]);
        first.GetProperty("amount").GetInt64().ShouldBe(4);
        first.GetProperty("balance_after").GetInt64().ShouldBe(20);
        first.Str("kind").ShouldBe("adjust");
    }

    [Fact]
    public async Task UsageIsAlsoServedOnTheSdkPaths()
    {
        var account = await server.CreateAccountAsync(credits: 3);
        using var client = server.WithKey(account.Key);
        var body = await (await client.GetAsync("/api/v1/sdk/usage")).BodyAsync();
        body.GetProperty("balance").GetInt64().ShouldBe(3);
    }

    [Theory]
    [InlineData("?limit=0", 422, "unprocessable_entity")]
    [InlineData("?limit=201", 422, "unprocessable_entity")]
    [InlineData("?limit=ten", 400, "invalid_request")]
    [InlineData("?cursor=abc", 400, "invalid_request")]
    public async Task BadPagingParametersAreCatalogErrors(string query, int status, string code)
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        await (await client.GetAsync("/api/v1/usage" + query)).ShouldBeMemicErrorAsync(status, code);
    }

    [Fact]
    public async Task UsageNeedsAKey()
    {
        using var client = server.Anonymous();
        await (await client.GetAsync("/api/v1/usage")).ShouldBeMemicErrorAsync(401, "invalid_api_key");
    }

    [Fact]
    public async Task ThePriceTableComesFromConfigurationAndRoundsUp()
    {
        var prices = server.Services.GetRequiredService<Prices>();
        prices.Search().Credits.ShouldBe(7);
        prices.VideoIndexing(2.1).Credits.ShouldBe(9);     // 8.4 → 9
        prices.DocumentIndexing(3).Credits.ShouldBe(9);    // default 3 a page
        prices.Download(1_500_000_000).Credits.ShouldBe(30); // default 20 a GB
        prices.Download(1).Credits.ShouldBe(1);
        prices.StorageDay(0).Credits.ShouldBe(0);
    }
}
