using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Billing;

/// <summary>Uploads, parses and searches are paid for: 402 before any byte is stored, settle on success, refund on failure.</summary>
public sealed class UploadChargeTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task AZeroCreditKeyGetsTheExact402OnEverySurfaceAndNothingIsStored()
    {
        var broke = await server.CreateAccountAsync(credits: 0);
        using var client = server.WithKey(broke.Key);
        await (await client.PostFileAsync("/serve/api/v1/upload", TestMedia.Mp4WithSubtitles)).ShouldBeV1ErrorAsync(402, "0402", "Insufficient balance or credits");
        await (await client.PostFileAsync("/serve/api/v2/upload", TestMedia.Mp4WithSubtitles)).ShouldBeV2ErrorAsync(402, "Insufficient balance or credits");
        await (await client.PostFileAsync("/api/v1/files", TestMedia.Mp4WithSubtitles)).ShouldBeMemicErrorAsync(402, "insufficient_credits");
        await (await client.PostAsJsonAsync("/api/v1/search", new { query = "anything" })).ShouldBeMemicErrorAsync(402, "insufficient_credits");
        Uploads.StoredFiles(server.DataDir).ShouldBeEmpty();
        (await (await client.GetAsync("/api/v1/files")).BodyAsync()).GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task AParseIsSettledToItsRealPriceAndAFailedOneIsRefunded()
    {
        var account = await server.CreateAccountAsync(credits: 1000);
        using var client = server.WithKey(account.Key);
        var video = await (await client.PostFileAsync("/api/v1/files", TestMedia.Mp4WithSubtitles)).BodyAsync();
        await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{video.Str("id")}/status"), b => b.Str("status") == "ready");
        // 3 seconds of video at 10 credits a minute rounds up to 1 credit.
        (await client.BalanceAsync()).ShouldBe(999);

        var broken = await (await client.PostFileAsync("/api/v1/files", TestMedia.TruncatedMp4)).BodyAsync();
        await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{broken.Str("id")}/status"), b => b.Str("status") == "parsing_failed");
        (await client.BalanceAsync()).ShouldBe(999);

        var ledger = (await (await client.GetAsync("/api/v1/usage?limit=20")).BodyAsync()).GetProperty("entries").EnumerateArray().ToList();
        ledger.ShouldContain(e => e.Str("reason").StartsWith("parse failed"));
        (await client.PostAsJsonAsync("/api/v1/search", new { query = "hello" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.BalanceAsync()).ShouldBe(998);
    }

    [Fact]
    public async Task ARetriedUploadWithTheSameIdempotencyKeyCreatesOneAssetAndOneCharge()
    {
        var account = await server.CreateAccountAsync(credits: 1000);
        using var client = server.WithKey(account.Key);
        async Task<HttpResponseMessage> UploadAsync()
        {
            // A client retrying resends the same bytes, boundary included.
            var content = new MultipartFormDataContent("retry-boundary") { { new ByteArrayContent(await File.ReadAllBytesAsync(TestMedia.Pdf)), "file", "doc.pdf" } };
            var request = new HttpRequestMessage(HttpMethod.Post, "/serve/api/v2/upload") { Content = content };
            request.Headers.Add("Idempotency-Key", "upload-once-42");
            return await client.SendAsync(request);
        }

        var first = await UploadAsync();
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        var second = await UploadAsync();
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        (await second.BodyAsync()).GetProperty("data").Str("asset_id").ShouldBe((await first.BodyAsync()).GetProperty("data").Str("asset_id"));

        (await (await client.GetAsync("/api/v1/files")).BodyAsync()).GetProperty("total").GetInt32().ShouldBe(1);
        var reservations = (await (await client.GetAsync("/api/v1/usage?limit=50")).BodyAsync()).GetProperty("entries").EnumerateArray()
            .Count(e => e.Str("kind") == "reserve");
        reservations.ShouldBe(1);
    }
}

/// <summary>The contract's memories upload budget (1 per second per account) answers 429 with a Retry-After that is enough.</summary>
public sealed class UploadRateLimitTests : IDisposable
{
    private readonly MnemoServer server = new(new Dictionary<string, string?> { ["Mnemo:RateLimits:Memories:Upload:Permits"] = "1" });

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task AnUploadBurstGets429WithARetryAfterThatIsEnough()
    {
        var account = await server.CreateAccountAsync(credits: 1000);
        using var client = server.WithKey(account.Key);
        // Sent together, so a slow machine cannot spread them over several windows.
        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.PostFileAsync("/serve/api/v2/upload", TestMedia.Pdf)));

        var limited = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        await limited.ShouldBeV2ErrorAsync(429, "Rate limit exceeded");
        var wait = limited.Headers.RetryAfter!.Delta!.Value;
        limited.Headers.GetValues("RateLimit-Limit").Single().ShouldBe("1");
        await Task.Delay(wait);
        (await client.PostFileAsync("/serve/api/v2/upload", TestMedia.Pdf)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
