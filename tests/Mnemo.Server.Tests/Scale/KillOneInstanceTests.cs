using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mnemo.Server.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Mnemo.Server.Tests.Scale;

/// <summary>
/// The deployment of docs/deploy.md in small: two serving instances and a third that only parses (no
/// traffic is routed to it), real processes on one PostgreSQL database and one data directory. A
/// client spreads uploads over both, one serving instance is SIGKILLed mid-way, and at the end the
/// store must show every accepted upload parsed once, nothing lost, and a balanced ledger.
/// Runs only with MNEMO_TEST_POSTGRES (several instances are a PostgreSQL deployment).
/// </summary>
public sealed class KillOneInstanceTests(ITestOutputHelper output)
{
    private const string AdminToken = "scale-admin-token";
    private const int Documents = 96;
    private const int Videos = 4;
    private const long StartCredits = 100_000;

    private sealed record Upload(int Index, string Path, byte[] Body, bool IsVideo);

    private sealed record Outcome(int Index, HttpStatusCode? Status, long? AssetId, int Tries);

    [Fact]
    public async Task HundredUploadsOverTwoInstancesSurviveOneBeingKilled()
    {
        if (TestDatabases.ServerConnectionString is null)
        {
            output.WriteLine("skipped: set MNEMO_TEST_POSTGRES (eval \"$(.ci/start-postgres)\") to run N instances on one PostgreSQL");
            return;
        }

        var clock = Stopwatch.StartNew();
        using var store = new SharedStore();
        var settings = new Dictionary<string, string>
        {
            ["MNEMO_DATABASE"] = store.Postgres!,
            ["MNEMO_ADMIN_TOKEN"] = AdminToken,
            ["Mnemo__Processing__Workers"] = "1",
            ["Mnemo__Processing__LeaseSeconds"] = "3",
            ["Mnemo__Processing__PollMilliseconds"] = "200",
            // A retry may take over the key of a request whose instance died after 3 s, not the default hour.
            ["Mnemo__Idempotency__InFlightLeaseSeconds"] = "3",
            ["Mnemo__RateLimits__Memories__Upload__Permits"] = "100000",
            ["Mnemo__RateLimits__Memories__Status__Permits"] = "100000",
            ["Mnemo__RateLimits__Memic__Upload__Permits"] = "5",
            ["Mnemo__RateLimits__Memic__Upload__WindowSeconds"] = "3600",
        };
        var worker = new Dictionary<string, string>(settings) { ["Mnemo__Processing__Workers"] = "2" };
        var started = await Task.WhenAll(
            ServerProcess.StartAsync(store.DataDir, settings),
            ServerProcess.StartAsync(store.DataDir, settings),
            ServerProcess.StartAsync(store.DataDir, worker));
        await using var a = started[0];
        await using var b = started[1];
        await using var parser = started[2];
        output.WriteLine($"three instances up after {clock.ElapsedMilliseconds} ms");

        using var adminClient = new HttpClient { BaseAddress = b.Address };
        adminClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        var account = await (await adminClient.PostAsJsonAsync("/admin/accounts", new { name = "scale", credits = StartCredits })).BodyAsync();
        var accountId = account.GetProperty("id").GetGuid();
        var key = (await (await adminClient.PostAsJsonAsync($"/admin/accounts/{accountId}/keys", new { })).BodyAsync()).Str("key");
        using var onA = Client(a, key);
        using var onB = Client(b, key);

        // One budget: 5 memic uploads an hour for the key, however the burst is spread.
        var burst = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            (i % 2 == 0 ? onA : onB).PostAsync("/api/v1/files", Form(Encoding.UTF8.GetBytes($"# Burst {i}\n"), "burst.md"))));
        burst.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(5);
        burst.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests).ShouldBe(7);

        var uploads = Enumerable.Range(0, Documents + Videos).Select(i => i % 25 == 12
            ? new Upload(i, "/serve/api/v2/upload", File.ReadAllBytes(TestMedia.Mp4WithSubtitles), true)
            : new Upload(i, "/serve/api/v2/upload", Encoding.UTF8.GetBytes($"# Note {i}\n\nScale test document number {i}.\n"), false)).ToList();
        var completed = 0;
        var killed = new TaskCompletionSource();
        var killer = Task.Run(async () =>
        {
            while (Volatile.Read(ref completed) < 40)
            {
                await Task.Delay(20);
            }

            // Kill A while its worker holds a job, if it gets one within a few seconds, so a lease is taken over.
            var until = DateTime.UtcNow.AddSeconds(5);
            while (DateTime.UtcNow < until && await ScalarAsync(store.Postgres!,
                $"SELECT count(*) FROM jobs WHERE \"State\" = 'Leased' AND \"LeaseOwner\" LIKE '%:{a.ProcessId}:%'") == 0)
            {
                await Task.Delay(10);
            }

            a.Kill();
            output.WriteLine($"killed A (pid {a.ProcessId}) after {Volatile.Read(ref completed)} uploads, at {clock.ElapsedMilliseconds} ms");
            killed.SetResult();
        });

        using var gate = new SemaphoreSlim(6);
        var outcomes = await Task.WhenAll(uploads.Select(async upload =>
        {
            await gate.WaitAsync();
            try
            {
                return await SendWithRetryAsync(upload, upload.Index % 2 == 0 ? onA : onB, onB, killed.Task);
            }
            finally
            {
                gate.Release();
                Interlocked.Increment(ref completed);
            }
        }));
        await killer;

        var accepted = outcomes.Where(o => o.Status is HttpStatusCode.OK).ToList();
        output.WriteLine($"{accepted.Count} uploads accepted, {outcomes.Sum(o => o.Tries - 1)} retries, at {clock.ElapsedMilliseconds} ms");
        accepted.Count.ShouldBe(uploads.Count, "every upload is accepted by one instance or the other: " +
            string.Join(", ", outcomes.Where(o => o.Status is not HttpStatusCode.OK).Select(o => $"#{o.Index}: {o.Status}")));

        // Everything accepted gets parsed, by B or the parser instance (A's leased job after its lease ran out).
        await using var db = new NpgsqlConnection(store.Postgres);
        await db.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (await ScalarAsync(db, "SELECT count(*) FROM jobs WHERE \"State\" <> 'Done'") > 0)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "jobs still not done");
            await Task.Delay(200);
        }

        output.WriteLine($"all jobs done at {clock.ElapsedMilliseconds} ms");
        var assets = await RowsAsync(db, $"""
            SELECT a."Id", a."Status", a."ChunkCount", a."ThumbnailCount",
                   (SELECT count(*) FROM jobs j WHERE j."AssetId" = a."Id"),
                   (SELECT count(*) FROM asset_chunks c WHERE c."AssetId" = a."Id"),
                   (SELECT count(*) FROM asset_thumbnails t WHERE t."AssetId" = a."Id"),
                   (SELECT max(j."Attempts") FROM jobs j WHERE j."AssetId" = a."Id")
            FROM assets a WHERE a."AccountId" = '{accountId}'
            """);
        var byId = assets.ToDictionary(r => (long)r[0]);
        foreach (var outcome in accepted)
        {
            byId.ContainsKey(outcome.AssetId!.Value).ShouldBeTrue($"accepted upload #{outcome.Index} (asset {outcome.AssetId}) is lost");
        }

        foreach (var row in assets)
        {
            var id = (long)row[0];
            row[1].ShouldBe("Ready", $"asset {id}");
            ((long)row[4]).ShouldBe(1, $"asset {id} has one job");
            ((long)row[5]).ShouldBe((int)row[2], $"asset {id}'s chunks are not duplicated");
            ((long)row[6]).ShouldBe((int)row[3], $"asset {id}'s thumbnails are not duplicated");
            ((int)row[2]).ShouldBeGreaterThan(0, $"asset {id} has searchable text");
            if ((int)row[3] > 0)
            {
                Directory.GetFiles(Path.Combine(store.DataDir, "assets", id.ToString(), "thumbs")).Length.ShouldBe((int)row[3]);
            }
        }

        var takenOver = assets.Count(r => (int)r[7] > 1);
        output.WriteLine($"{assets.Count} assets (accepted {accepted.Count} + burst 5; {assets.Count - accepted.Count - 5} accepted by A whose answer was lost), {takenOver} jobs run again after A died");

        // The ledger: every reservation closed exactly once, and the balance is the start minus what was settled.
        var ledger = await RowsAsync(db, $"SELECT \"Kind\", \"Reference\", \"Amount\" FROM ledger WHERE \"AccountId\" = '{accountId}' AND \"Kind\" <> 'adjust'");
        var references = ledger.GroupBy(r => (string)r[1]).ToList();
        references.Count.ShouldBe(assets.Count);
        foreach (var reference in references)
        {
            reference.Count(r => (string)r[0] == "reserve").ShouldBe(1, reference.Key);
            reference.Count(r => (string)r[0] is "settle" or "refund").ShouldBe(1, reference.Key);
        }

        var balance = await ScalarAsync(db, $"SELECT \"Balance\" FROM accounts WHERE \"Id\" = '{accountId}'");
        var charged = -ledger.Sum(r => (long)r[2]);
        balance.ShouldBe(StartCredits - charged);
        charged.ShouldBe(assets.Count(r => (int)r[3] == 0) * 3 + assets.Count(r => (int)r[3] > 0) * 1); // 3 per note, 1 per 3 s video
        output.WriteLine($"balance {balance} = {StartCredits} - {charged} settled; done at {clock.ElapsedMilliseconds} ms");
    }

    /// <summary>
    /// Sends the upload; when its instance is gone (connection refused or cut) or still holds the key of
    /// the request that died with it (409), tries the survivor with the same Idempotency-Key.
    /// </summary>
    private static async Task<Outcome> SendWithRetryAsync(Upload upload, HttpClient first, HttpClient survivor, Task killed)
    {
        var client = first;
        for (var tries = 1; ; tries++)
        {
            HttpResponseMessage? response = null;
            try
            {
                var request = new HttpRequestMessage(HttpMethod.Post, upload.Path) { Content = Form(upload.Body, upload.IsVideo ? "clip.mp4" : "note.md") };
                request.Headers.Add("Idempotency-Key", $"upload-{upload.Index}");
                response = await client.SendAsync(request);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            if (response?.StatusCode is HttpStatusCode.OK)
            {
                var assetId = (await response.BodyAsync()).GetProperty("data").Str("asset_id");
                return new Outcome(upload.Index, HttpStatusCode.OK, long.Parse(assetId["re_".Length..]), tries);
            }

            if (tries >= 40 || (response is not null && response.StatusCode is not (HttpStatusCode.Conflict or >= HttpStatusCode.InternalServerError)))
            {
                return new Outcome(upload.Index, response?.StatusCode, null, tries);
            }

            if (client == first && first != survivor)
            {
                await killed; // A refused or dropped it: it is being killed
            }

            client = survivor;
            await Task.Delay(250);
        }
    }

    private static HttpClient Client(ServerProcess server, string key)
    {
        var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", key);
        client.DefaultRequestHeaders.TryAddWithoutValidation("X-API-Key", key);
        return client;
    }

    private static MultipartFormDataContent Form(byte[] body, string name)
    {
        var file = new ByteArrayContent(body);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent("scale-boundary") { { file, "file", name } }; // a retry sends the same bytes
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        return await ScalarAsync(db, sql);
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task<List<object[]>> RowsAsync(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }
}
