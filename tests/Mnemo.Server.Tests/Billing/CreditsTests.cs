using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mnemo.Server.Accounts;
using Mnemo.Server.Billing;
using Mnemo.Server.Errors;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Billing;

public sealed class CreditsTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task HundredConcurrentDebitsOverHttpNeverTakeTheBalanceBelowZero()
    {
        var account = await server.CreateAccountAsync(credits: 50);
        using var admin = server.AdminClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ =>
            admin.PostAsJsonAsync($"/admin/accounts/{account.Id}/credits", new { amount = -1, reason = "load test" })));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(50);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await refused.ShouldBeMemicErrorAsync(402, "insufficient_credits");
        }

        var usage = await UsageAsync(account.Key, "?limit=200");
        usage.GetProperty("balance").GetInt64().ShouldBe(0);
        var entries = usage.GetProperty("entries").EnumerateArray().ToList();
        entries.Count.ShouldBe(51); // the starting balance and 50 debits
        entries.ShouldAllBe(e => e.GetProperty("balance_after").GetInt64() >= 0);
        entries.Sum(e => e.GetProperty("amount").GetInt64()).ShouldBe(0);
    }

    [Fact]
    public async Task HundredConcurrentReservationsTakeExactlyWhatTheBalanceCovers()
    {
        var account = await server.CreateAccountAsync(credits: 37);
        var caller = new Caller(account.KeyId, account.Id, "n", Guid.Empty, "production");
        var prices = server.Services.GetRequiredService<Prices>();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            await using var scope = server.Services.CreateAsyncScope();
            var charges = scope.ServiceProvider.GetRequiredService<Charges>();
            try
            {
                await charges.ReserveAsync(caller, prices.Search(), $"search:{i}", $"req_{i}", CancellationToken.None);
                return true;
            }
            catch (ApiException e) when (e.Error.Kind == ErrorCatalog.InsufficientCredits)
            {
                return false;
            }
        }));

        outcomes.Count(ok => ok).ShouldBe(37);
        var usage = await UsageAsync(account.Key, "?limit=200");
        usage.GetProperty("balance").GetInt64().ShouldBe(0);
        var reservations = usage.GetProperty("entries").EnumerateArray().Where(e => e.Str("kind") == "reserve").ToList();
        reservations.Count.ShouldBe(37);
        reservations.ShouldAllBe(e => e.Str("actor") == $"key:{account.KeyId}" && e.Str("request_id").StartsWith("req_"));
    }

    [Fact]
    public async Task SettleTakesOrGivesBackTheDifferenceOnceAndRefundReturnsTheReservationOnce()
    {
        var account = await server.CreateAccountAsync(credits: 100);
        var caller = new Caller(account.KeyId, account.Id, "n", Guid.Empty, "production");
        var prices = server.Services.GetRequiredService<Prices>();
        await using var scope = server.Services.CreateAsyncScope();
        var charges = scope.ServiceProvider.GetRequiredService<Charges>();
        var ct = CancellationToken.None;

        // 25 MB of video: reserved as 3 minutes (30 credits); it turns out to be 1.5 minutes (15).
        (await charges.ReserveAsync(caller, prices.IndexingEstimate(25_000_000, isVideo: true), "asset:a", "req_a", ct)).ShouldBe(70);
        (await charges.SettleAsync(account.Id, "asset:a", prices.VideoIndexing(1.5), "req_a2", ct)).ShouldBeTrue();
        (await charges.SettleAsync(account.Id, "asset:a", prices.VideoIndexing(1.5), "req_a2", ct)).ShouldBeFalse();
        (await charges.RefundAsync(account.Id, "asset:a", "parse failed", "req_a3", ct)).ShouldBeFalse();
        (await BalanceAsync(account.Key)).ShouldBe(85);

        // Reserved 1 minute (10), actual 9 minutes (90): only 75 are left, so the balance stops at zero.
        await charges.ReserveAsync(caller, prices.IndexingEstimate(1, isVideo: true), "asset:b", "req_b", ct);
        (await charges.SettleAsync(account.Id, "asset:b", prices.VideoIndexing(9), "req_b2", ct)).ShouldBeTrue();
        (await BalanceAsync(account.Key)).ShouldBe(0);

        await server.TopUpAsync(account.Id, 40);
        await charges.ReserveAsync(caller, prices.DocumentIndexing(10), "asset:c", "req_c", ct);
        (await BalanceAsync(account.Key)).ShouldBe(10);
        (await charges.RefundAsync(account.Id, "asset:c", "parse failed: not a PDF", "req_c2", ct)).ShouldBeTrue();
        (await charges.RefundAsync(account.Id, "asset:c", "parse failed: not a PDF", "req_c2", ct)).ShouldBeFalse();
        (await BalanceAsync(account.Key)).ShouldBe(40);

        var entries = (await UsageAsync(account.Key, "?limit=200")).GetProperty("entries").EnumerateArray().ToList();
        entries.First(e => e.Str("kind") == "settle" && e.Str("reference") == "asset:b").Str("reason").ShouldContain("short by 5");
        entries.First(e => e.Str("kind") == "refund").Str("reason").ShouldBe("parse failed: not a PDF");
    }

    [Fact]
    public async Task ConcurrentSettlesOfOneReservationSettleItOnce()
    {
        var account = await server.CreateAccountAsync(credits: 100);
        var caller = new Caller(account.KeyId, account.Id, "n", Guid.Empty, "production");
        var prices = server.Services.GetRequiredService<Prices>();
        await using (var scope = server.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Charges>()
                .ReserveAsync(caller, prices.DocumentIndexing(10), "asset:d", "req_d", CancellationToken.None);
        }

        var closed = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            await using var scope = server.Services.CreateAsyncScope();
            var charges = scope.ServiceProvider.GetRequiredService<Charges>();
            return i % 2 == 0
                ? await charges.SettleAsync(account.Id, "asset:d", prices.DocumentIndexing(4), null, CancellationToken.None)
                : await charges.RefundAsync(account.Id, "asset:d", "parse failed", null, CancellationToken.None);
        }));

        closed.Count(c => c).ShouldBe(1);
        (await BalanceAsync(account.Key)).ShouldBeOneOf(88, 100); // settled at 4 pages (12), or refunded
    }

    [Fact]
    public async Task AReservationTheBalanceCannotCoverTakesNothing()
    {
        var account = await server.CreateAccountAsync(credits: 5);
        var caller = new Caller(account.KeyId, account.Id, "n", Guid.Empty, "production");
        await using var scope = server.Services.CreateAsyncScope();
        var charges = scope.ServiceProvider.GetRequiredService<Charges>();
        var prices = server.Services.GetRequiredService<Prices>();

        var refused = await Should.ThrowAsync<ApiException>(() =>
            charges.ReserveAsync(caller, prices.DocumentIndexing(2), "asset:x", null, CancellationToken.None));
        refused.Error.Kind.ShouldBe(ErrorCatalog.InsufficientCredits);
        await Should.ThrowAsync<ApiException>(() => charges.EnsureAffordableAsync(caller, prices.DocumentIndexing(2), CancellationToken.None));
        (await BalanceAsync(account.Key)).ShouldBe(5);
    }

    private async Task<JsonElement> UsageAsync(string key, string query = "")
    {
        using var client = server.WithKey(key);
        var response = await client.GetAsync("/api/v1/usage" + query);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.BodyAsync();
    }

    private async Task<long> BalanceAsync(string key) => (await UsageAsync(key)).GetProperty("balance").GetInt64();
}
