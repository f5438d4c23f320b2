using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Mnemo.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mnemo.Server.Tests.Scale;

/// <summary>
/// Two servers on one store, a client talking to both: what one instance records, the other honours.
/// On SQLite (one file, two servers in this process) and on PostgreSQL (the supported way to run N).
/// </summary>
public sealed class TwoInstanceTests(ITestOutputHelper output) : IDisposable
{
    private readonly SharedStore store = new();
    private readonly List<MnemoServer> servers = [];

    public void Dispose()
    {
        foreach (var server in servers)
        {
            server.Dispose();
        }

        store.Dispose();
    }

    private (MnemoServer A, MnemoServer B) Start(IDictionary<string, string?>? extra = null)
    {
        var a = new MnemoServer(store.Settings(extra));
        servers.Add(a);
        var b = new MnemoServer(store.Settings(extra));
        servers.Add(b);
        return (a, b);
    }

    private static MultipartFormDataContent Markdown(string text)
    {
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent("mnemo-boundary") { { file, "file", "note.md" } }; // one boundary: a retry has the same body
    }

    [Fact]
    public async Task AnIdempotencyKeyUsedOnOneInstanceReplaysOnTheOther()
    {
        var (a, b) = Start();
        var account = await a.CreateAccountAsync(credits: 100);
        using var onA = a.WithKey(account.Key);
        using var onB = b.WithKey(account.Key);

        var first = new HttpRequestMessage(HttpMethod.Post, "/api/v1/files") { Content = Markdown("# Shared\nidempotent across instances\n") };
        first.Headers.Add("Idempotency-Key", "shared-1");
        var created = await onA.SendAsync(first);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var retry = new HttpRequestMessage(HttpMethod.Post, "/api/v1/files") { Content = Markdown("# Shared\nidempotent across instances\n") };
        retry.Headers.Add("Idempotency-Key", "shared-1");
        var replayed = await onB.SendAsync(retry);

        replayed.StatusCode.ShouldBe(HttpStatusCode.Created);
        replayed.Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        (await replayed.BodyAsync()).Str("id").ShouldBe((await created.BodyAsync()).Str("id"));
        (await (await onB.GetAsync("/api/v1/files")).BodyAsync()).GetProperty("total").GetInt32().ShouldBe(1);
        (await onB.BalanceAsync()).ShouldBe(97); // one reservation of 3 credits, not two
    }

    [Fact]
    public async Task ARevokedKeyFailsOnEveryInstanceWithinASecond()
    {
        var (a, b) = Start();
        var account = await a.CreateAccountAsync();
        using var onA = a.WithKey(account.Key);
        using var onB = b.WithKey(account.Key);
        (await onA.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await onB.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK); // B now holds the key in its cache

        using var admin = a.AdminClient();
        (await admin.DeleteAsync($"/admin/keys/{account.KeyId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var clock = Stopwatch.StartNew();
        (await onA.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized); // the revoking instance: at once
        while ((await onB.GetAsync("/api/v1/me")).StatusCode != HttpStatusCode.Unauthorized)
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1.5), "the other instance still accepts a revoked key");
            await Task.Delay(25);
        }

        output.WriteLine($"revoked on A, refused by B after {clock.ElapsedMilliseconds} ms");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1.5)); // the 1 s key cache, plus one request
        await (await onB.GetAsync("/api/v1/me")).ShouldBeMemicErrorAsync(401, "invalid_api_key");
    }

    [Fact]
    public async Task AnAssetDeletedOnOneInstanceIsGoneFromTheOthersPollsWithinASecond()
    {
        var (a, b) = Start();
        var account = await a.CreateAccountAsync();
        using var onA = a.WithKey(account.Key);
        using var onB = b.WithKey(account.Key);
        var assetId = (await (await onA.PostAsync("/serve/api/v2/upload", Markdown("# Polled\nfrom two instances\n"))).BodyAsync())
            .GetProperty("data").Str("asset_id");
        await Uploads.PollAsync(() => onB.GetAsync($"/serve/api/v2/{assetId}/metadata"), // B now holds it in its poll cache
            body => body.GetProperty("data").GetProperty("resource")[0].Str("upload_status") == "SUCCESS", seconds: 30);

        (await onA.DeleteAsync($"/serve/api/v2/{assetId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var clock = Stopwatch.StartNew();
        await (await onA.GetAsync($"/serve/api/v2/{assetId}/metadata")).ShouldBeV2ErrorAsync(400, "Asset not found"); // at once
        while ((await onB.GetAsync($"/serve/api/v2/{assetId}/metadata")).StatusCode == HttpStatusCode.OK)
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1.5), "the other instance still shows a deleted asset");
            await Task.Delay(25);
        }

        output.WriteLine($"deleted on A, gone from B's polls after {clock.ElapsedMilliseconds} ms");
        await (await onB.GetAsync($"/serve/api/v2/{assetId}/metadata")).ShouldBeV2ErrorAsync(400, "Asset not found");
    }

    [Fact]
    public async Task CreditsAreExactUnderConcurrentUploadsToBothInstances()
    {
        var (a, b) = Start();
        var account = await a.CreateAccountAsync(credits: 30); // ten reservations of 3 credits
        using var onA = a.WithKey(account.Key);
        using var onB = b.WithKey(account.Key);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? onA : onB).PostAsync("/api/v1/files", Markdown($"# Note {i}\nconcurrent credits {Guid.NewGuid()}\n"))));

        var accepted = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
        accepted.Count.ShouldBe(10);
        responses.Count(r => r.StatusCode == HttpStatusCode.PaymentRequired).ShouldBe(10);
        foreach (var response in accepted)
        {
            var id = (await response.BodyAsync()).Str("id");
            await Uploads.PollAsync(() => onB.GetAsync($"/api/v1/files/{id}/status"), s => s.Str("status") == "ready", seconds: 30);
        }

        (await onA.BalanceAsync()).ShouldBe(0);
        var usage = await (await onB.GetAsync("/api/v1/usage")).BodyAsync();
        output.WriteLine(usage.ToString());
    }

    [Fact]
    public async Task ARateLimitIsOneBudgetAcrossInstancesOnPostgres()
    {
        if (store.Postgres is null)
        {
            output.WriteLine("skipped: set MNEMO_TEST_POSTGRES (the embedded SQLite default counts rate limits per process)");
            return;
        }

        // An hour-long window, so the burst below cannot straddle two windows (unless it starts in the last seconds).
        var intoWindow = DateTime.UtcNow.TimeOfDay.TotalSeconds % 3600;
        if (intoWindow > 3590)
        {
            await Task.Delay(TimeSpan.FromSeconds(3601 - intoWindow));
        }

        var (a, b) = Start(new Dictionary<string, string?>
        {
            ["Mnemo:RateLimits:Memic:Upload:Permits"] = "5",
            ["Mnemo:RateLimits:Memic:Upload:WindowSeconds"] = "3600",
        });
        var account = await a.CreateAccountAsync(credits: 1000);
        using var onA = a.WithKey(account.Key);
        using var onB = b.WithKey(account.Key);

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            (i % 2 == 0 ? onA : onB).PostAsync("/api/v1/files", Markdown($"# Note {i}\nrate limited\n"))));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(5);
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        refused.Count.ShouldBe(11);
        await refused[0].ShouldBeMemicErrorAsync(429, "rate_limit_exceeded");
        refused[0].Headers.GetValues("RateLimit-Limit").Single().ShouldBe("5");
        refused[0].Headers.GetValues("RateLimit-Remaining").Single().ShouldBe("0");
        int.Parse(refused[0].Headers.GetValues("Retry-After").Single()).ShouldBeInRange(1, 3600);
        responses.Select(r => r.Headers.GetValues("RateLimit-Remaining").Single()).Where(r => r != "0").Order()
            .ShouldBe(["1", "2", "3", "4"]); // the five that passed saw 4, 3, 2, 1, 0 left of one budget
    }
}
