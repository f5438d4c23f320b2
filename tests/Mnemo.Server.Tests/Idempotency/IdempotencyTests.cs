using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mnemo.Server.Storage;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Idempotency;

/// <summary>Over the admin top-up (a POST that changes a balance), the one POST this branch has.</summary>
public sealed class IdempotencyTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task TheSameKeyAndBodyReplaysTheFirstResponseWithoutDoingTheWorkAgain()
    {
        var account = await server.CreateAccountAsync(credits: 10);
        using var admin = server.AdminClient();

        var first = await admin.SendAsync(TopUp(account.Id, "k-1", 5));
        var second = await admin.SendAsync(TopUp(account.Id, "k-1", 5));

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        first.Headers.Contains("Idempotent-Replayed").ShouldBeFalse();
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        second.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        (await second.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        (await BalanceAsync(account.Id)).ShouldBe(15);
    }

    [Fact]
    public async Task TheSameKeyWithAnotherBodyOrPathIsADuplicateRequest()
    {
        var account = await server.CreateAccountAsync(credits: 10);
        var other = await server.CreateAccountAsync(credits: 10);
        using var admin = server.AdminClient();
        (await admin.SendAsync(TopUp(account.Id, "k-2", 5))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var body = await (await admin.SendAsync(TopUp(account.Id, "k-2", 6))).ShouldBeMemicErrorAsync(409, "duplicate_request");
        body.Str("detail").ShouldContain("different request");
        await (await admin.SendAsync(TopUp(other.Id, "k-2", 5))).ShouldBeMemicErrorAsync(409, "duplicate_request");
        (await BalanceAsync(account.Id)).ShouldBe(15);
        (await BalanceAsync(other.Id)).ShouldBe(10);
    }

    [Fact]
    public async Task ARetryWhileTheFirstIsStillRunningIsADuplicateRequest()
    {
        var account = await server.CreateAccountAsync(credits: 10);
        using var admin = server.AdminClient();
        var release = new TaskCompletionSource();
        var json = Encoding.UTF8.GetBytes("""{"amount":5,"reason":"slow"}""");
        var slow = new HttpRequestMessage(HttpMethod.Post, $"/admin/accounts/{account.Id}/credits")
        {
            Content = new StalledContent(json[..10], json[10..], release.Task),
        };
        slow.Headers.Add("Idempotency-Key", "k-3");
        var running = admin.SendAsync(slow);
        await WaitForKeyAsync("k-3");

        var retry = new HttpRequestMessage(HttpMethod.Post, $"/admin/accounts/{account.Id}/credits")
        {
            Content = new ByteArrayContent(json) { Headers = { ContentType = new("application/json") } },
        };
        retry.Headers.Add("Idempotency-Key", "k-3");
        var body = await (await admin.SendAsync(retry)).ShouldBeMemicErrorAsync(409, "duplicate_request");
        body.Str("detail").ShouldContain("in progress");

        release.SetResult();
        (await running).StatusCode.ShouldBe(HttpStatusCode.OK);
        var replay = await admin.SendAsync(TopUp(account.Id, "k-3", 5, "slow"));
        replay.Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        (await BalanceAsync(account.Id)).ShouldBe(15);
    }

    [Fact]
    public async Task IdenticalRequestsAtOnceRunOnceAndTheOthersReplayOrConflict()
    {
        var account = await server.CreateAccountAsync(credits: 0);
        using var admin = server.AdminClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => admin.SendAsync(TopUp(account.Id, "k-4", 7))));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK || r.StatusCode == HttpStatusCode.Conflict);
        responses.Count(r => r.StatusCode == HttpStatusCode.OK && !r.Headers.Contains("Idempotent-Replayed")).ShouldBe(1);
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            await conflict.ShouldBeMemicErrorAsync(409, "duplicate_request");
        }

        (await BalanceAsync(account.Id)).ShouldBe(7);
    }

    [Fact]
    public async Task AnErrorAnswerFreesTheKeySoARetryRunsTheWork()
    {
        var account = await server.CreateAccountAsync(credits: 0);
        using var admin = server.AdminClient();
        await (await admin.SendAsync(TopUp(account.Id, "k-5", -5))).ShouldBeMemicErrorAsync(402, "insufficient_credits");
        await server.TopUpAsync(account.Id, 10);

        var retry = await admin.SendAsync(TopUp(account.Id, "k-5", -5));
        retry.StatusCode.ShouldBe(HttpStatusCode.OK);
        retry.Headers.Contains("Idempotent-Replayed").ShouldBeFalse();
        (await BalanceAsync(account.Id)).ShouldBe(5);
    }

    [Fact]
    public async Task WithoutAKeyEveryPostRuns()
    {
        var account = await server.CreateAccountAsync(credits: 0);
        using var admin = server.AdminClient();
        await admin.SendAsync(TopUp(account.Id, null, 3));
        await admin.SendAsync(TopUp(account.Id, null, 3));
        (await BalanceAsync(account.Id)).ShouldBe(6);
    }

    [Fact]
    public async Task AMalformedKeyIsAnInvalidRequest()
    {
        var account = await server.CreateAccountAsync();
        using var admin = server.AdminClient();
        await (await admin.SendAsync(TopUp(account.Id, new string('x', 256), 1))).ShouldBeMemicErrorAsync(400, "invalid_request");
        await (await admin.SendAsync(TopUp(account.Id, "with space", 1))).ShouldBeMemicErrorAsync(400, "invalid_request");
    }

    [Fact]
    public async Task AResponseOverTheCapIsNotReplayedButNeverRunsTwice()
    {
        using var small = new MnemoServer(new Dictionary<string, string?> { ["Mnemo:Idempotency:MaxStoredResponseBytes"] = "8" });
        var account = await small.CreateAccountAsync(credits: 0);
        using var admin = small.AdminClient();
        (await admin.SendAsync(TopUp(account.Id, "k-6", 4))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await (await admin.SendAsync(TopUp(account.Id, "k-6", 4))).ShouldBeMemicErrorAsync(409, "duplicate_request");
        body.Str("detail").ShouldContain("too large");
        (await small.TopUpAsync(account.Id, 1)).ShouldBe(5);
    }

    [Fact]
    public async Task AnExpiredKeyCanBeUsedAgain()
    {
        using var brief = new MnemoServer(new Dictionary<string, string?> { ["Mnemo:Idempotency:RetentionHours"] = "0.0002" }); // 0.72 s
        var account = await brief.CreateAccountAsync(credits: 0);
        using var admin = brief.AdminClient();
        (await admin.SendAsync(TopUp(account.Id, "k-7", 1))).StatusCode.ShouldBe(HttpStatusCode.OK);

        HttpResponseMessage? later = null;
        for (var i = 0; i < 40 && later?.StatusCode != HttpStatusCode.OK; i++)
        {
            await Task.Delay(100);
            later = await admin.SendAsync(TopUp(account.Id, "k-7", 2));
        }

        later!.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await brief.TopUpAsync(account.Id, 1)).ShouldBe(4);
    }

    private static HttpRequestMessage TopUp(Guid accountId, string? key, long amount, string reason = "top-up")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/accounts/{accountId}/credits")
        {
            Content = JsonContent.Create(new { amount, reason }),
        };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        return request;
    }

    private async Task<long> BalanceAsync(Guid accountId)
    {
        using var admin = server.AdminClient();
        return (await (await admin.GetAsync($"/admin/accounts/{accountId}")).BodyAsync()).GetProperty("balance").GetInt64();
    }

    private async Task WaitForKeyAsync(string key)
    {
        for (var i = 0; i < 200; i++)
        {
            await using var scope = server.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MnemoDb>();
            if (await db.IdempotencyRecords.AnyAsync(r => r.Key == key))
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new ShouldAssertException($"idempotency key {key} was never claimed");
    }

    /// <summary>A JSON body that sends its first bytes, then waits: the request stays in flight.</summary>
    private sealed class StalledContent : HttpContent
    {
        private readonly byte[] head;
        private readonly byte[] tail;
        private readonly Task release;

        public StalledContent(byte[] head, byte[] tail, Task release)
        {
            (this.head, this.tail, this.release) = (head, tail, release);
            Headers.ContentType = new("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(head);
            await stream.FlushAsync();
            await release;
            await stream.WriteAsync(tail);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = head.Length + tail.Length;
            return true;
        }
    }
}
