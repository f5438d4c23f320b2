using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Mnemo.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mnemo.Server.Tests.Crash;

/// <summary>
/// Paid work under way when the server is SIGKILLed: a video mid-parse and a burst of paid searches
/// (each with its Idempotency-Key, retried after the restart as a client would). Afterwards the parse
/// has resumed to ready exactly once, and the ledger is exact: every search charged once, whether it
/// died before, during or after its charge, and the balance is the start minus what the ledger took.
/// </summary>
public sealed class WorkCrashTests(ITestOutputHelper output)
{
    private const long StartCredits = 100_000;
    private const int MaxSearches = 2_000;
    private const int Clients = 8;

    [Fact]
    public async Task AParseAndAPaidSearchBurstCutByACrashResumeOnceWithAnExactLedger()
    {
        await using var rig = new CrashRig();
        await rig.StartAsync();
        var account = await rig.CreateAccountAsync(StartCredits);
        var clock = Stopwatch.StartNew();

        using var client = rig.Client(account.Key);
        var uploaded = await client.PostFileAsync("/serve/api/v2/upload", TestMedia.Mp4WithSubtitles);
        uploaded.StatusCode.ShouldBe(HttpStatusCode.OK);
        var assetId = long.Parse((await uploaded.BodyAsync()).GetProperty("data").Str("asset_id")["re_".Length..]);

        var killed = new CancellationTokenSource();
        var answered = new ConcurrentDictionary<int, HttpStatusCode>();
        var sent = 0;
        var burst = Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            using var searcher = rig.Client(account.Key);
            int i;
            while (!killed.IsCancellationRequested && (i = Interlocked.Increment(ref sent) - 1) < MaxSearches)
            {
                try
                {
                    answered[i] = (await searcher.SendAsync(Search(i))).StatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
            }
        })));

        // Kill while the parse holds its job and the searches are flowing.
        while (await rig.ScalarAsync("SELECT count(*) FROM jobs WHERE \"State\" = 'Leased'") == 0 || answered.Count < 20)
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60), "the parse never started");
            await Task.Delay(10);
        }

        var restarting = rig.CrashAndRestartAsync();
        await killed.CancelAsync();
        await burst;
        await restarting;
        var keys = Math.Min(Volatile.Read(ref sent), MaxSearches);
        var unanswered = Enumerable.Range(0, keys).Where(i => !answered.ContainsKey(i)).ToList();
        answered.Values.ShouldAllBe(s => s == HttpStatusCode.OK);
        output.WriteLine($"killed at {clock.ElapsedMilliseconds} ms mid-parse, after {answered.Count} searches answered; {unanswered.Count} were cut off");

        // The client retries what got no answer with the same key, and one answered search, which replays.
        using var after = rig.Client(account.Key);
        foreach (var i in unanswered.Append(0))
        {
            HttpResponseMessage retry;
            while ((retry = await after.SendAsync(Search(i))).StatusCode == HttpStatusCode.Conflict)
            {
                clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(120), $"search {i}'s key is still held");
                await Task.Delay(200);
            }

            retry.StatusCode.ShouldBe(HttpStatusCode.OK, await retry.Content.ReadAsStringAsync());
        }

        var status = await Uploads.PollAsync(() => after.GetAsync($"/serve/api/v2/re_{assetId}/metadata"),
            b => b.GetProperty("data").GetProperty("resource")[0].Str("upload_status") is "SUCCESS" or "FAILED", seconds: 60);
        status.GetProperty("data").GetProperty("resource")[0].Str("upload_status").ShouldBe("SUCCESS");
        output.WriteLine($"parse resumed to ready at {clock.ElapsedMilliseconds} ms");

        // The parse ran again after the crash, once, and wrote its results once.
        var job = (await rig.RowsAsync($"SELECT \"Id\", \"Attempts\", \"State\" FROM jobs WHERE \"AssetId\" = {assetId}")).ShouldHaveSingleItem();
        Convert.ToInt32(job[1]).ShouldBeGreaterThanOrEqualTo(2, "the job was cut off mid-parse and run again");
        job[2].ShouldBe("Done");
        var asset = (await rig.RowsAsync($"""
            SELECT "ChunkCount", "ThumbnailCount",
                   (SELECT count(*) FROM asset_chunks c WHERE c."AssetId" = a."Id"),
                   (SELECT count(*) FROM asset_thumbnails t WHERE t."AssetId" = a."Id")
            FROM assets a WHERE a."Id" = {assetId}
            """)).ShouldHaveSingleItem();
        Convert.ToInt64(asset[2]).ShouldBe(Convert.ToInt64(asset[0]), "chunks are not duplicated");
        Convert.ToInt64(asset[3]).ShouldBe(Convert.ToInt64(asset[1]), "thumbnails are not duplicated");
        Convert.ToInt64(asset[0]).ShouldBeGreaterThan(0);

        // The ledger: the parse reserved once and settled once; every search key was charged exactly once.
        var ledger = (await rig.RowsAsync("SELECT \"Kind\", \"Reference\", \"Amount\" FROM ledger WHERE \"Kind\" <> 'adjust'"))
            .Select(r => (Kind: (string)r[0], Reference: (string)r[1], Amount: Convert.ToInt64(r[2]))).ToList();
        var parse = ledger.Where(l => l.Reference == $"parse:{job[0]}").ToList();
        parse.Count(l => l.Kind == "reserve").ShouldBe(1);
        parse.Count(l => l.Kind is "settle" or "refund").ShouldBe(1);
        var searches = ledger.Where(l => l.Reference.StartsWith("search:", StringComparison.Ordinal)).ToList();
        searches.ShouldAllBe(l => l.Kind == "reserve");
        searches.Count.ShouldBe(keys, "one charge per search key: none lost, none taken twice");
        searches.Select(l => l.Amount).Distinct().ShouldHaveSingleItem();
        ledger.Except(parse).Except(searches).ShouldAllBe(l => l.Reference.StartsWith("storage:", StringComparison.Ordinal)); // the daily storage charge

        var balance = await rig.ScalarAsync($"SELECT \"Balance\" FROM accounts WHERE \"Name\" = 'crash'");
        balance.ShouldBe(StartCredits + ledger.Sum(l => l.Amount));
        (await after.BalanceAsync()).ShouldBe(balance);
        output.WriteLine($"{keys} searches charged once each; balance {balance} = {StartCredits} - {-ledger.Sum(l => l.Amount)}; done at {clock.ElapsedMilliseconds} ms");
    }

    /// <summary>Search number <paramref name="i"/>, on memories v1 or memic by turns, under its own Idempotency-Key.</summary>
    private static HttpRequestMessage Search(int i)
    {
        var request = i % 2 == 0
            ? new HttpRequestMessage(HttpMethod.Post, "/serve/api/v1/search") { Content = JsonContent.Create(new { search_param = "heron", search_type = "BY_VIDEO" }) }
            : new HttpRequestMessage(HttpMethod.Post, "/api/v1/search") { Content = JsonContent.Create(new { query = "heron" }) };
        request.Headers.Add("Idempotency-Key", $"search-{i}");
        return request;
    }
}
