using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Hosting;

/// <summary>What a new user sees: the first start prints a key once; it works; it is nowhere in plaintext.</summary>
public sealed partial class FirstStartTests : IDisposable
{
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "mnemo-tests", "first-" + Guid.NewGuid().ToString("N"));

    [GeneratedRegex("sk-mnemo-[A-Za-z0-9_-]{43}")]
    private static partial Regex KeyPattern();

    public void Dispose()
    {
        if (Directory.Exists(dataDir))
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task FirstStartPrintsAWorkingKeyOnceAndStoresItOnlyAsAHash()
    {
        string key;
        await using (var server = await ServerProcess.StartAsync(dataDir))
        {
            key = KeyPattern().Match(string.Join('\n', server.Output)).Value;
            key.ShouldNotBeNullOrEmpty("the first start prints the key");

            using var client = new HttpClient { BaseAddress = server.Address };
            var request = new HttpRequestMessage(HttpMethod.Get, "/serve/api/v2/no-such-route");
            request.Headers.TryAddWithoutValidation("Authorization", key);
            request.Headers.Add("X-Request-Id", "first-start-check");
            var response = await client.SendAsync(request);
            await response.ShouldBeV2ErrorAsync(404, "Not found");
            response.Headers.GetValues("X-Request-Id").Single().ShouldBe("first-start-check");

            var me = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
            me.Headers.Add("X-API-Key", key);
            var account = await (await client.SendAsync(me)).BodyAsync();
            account.Str("organization_name").ShouldBe("default");
            account.Str("environment_slug").ShouldBe("production");

            await Task.Delay(300);
            var logLines = server.Output.Where(l => l.StartsWith('{')).ToList();
            logLines.ShouldNotBeEmpty();
            foreach (var line in logLines)
            {
                JsonDocument.Parse(line); // every log line is JSON
                line.ShouldNotContain(key);
            }

            logLines.Any(l => l.Contains("\"RequestId\":\"first-start-check\"")).ShouldBeTrue("the request id is in its log lines");
        }

        foreach (var file in Directory.GetFiles(dataDir, "mnemo.db*"))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Encoding.Latin1.GetString(bytes).Contains(key[9..], StringComparison.Ordinal).ShouldBeFalse($"{Path.GetFileName(file)} holds the key in plaintext");
        }

        await using var second = await ServerProcess.StartAsync(dataDir);
        await Task.Delay(300);
        KeyPattern().IsMatch(string.Join('\n', second.Output)).ShouldBeFalse("the key is printed on the first start only");
    }

    [Fact]
    public async Task TwoInstancesStartingTogetherOnOneStoreCreateOneKey()
    {
        // On the suite's PostgreSQL when there is one, else two processes sharing one SQLite file.
        var settings = new Dictionary<string, string?>();
        var database = TestDatabases.CreatePostgresDatabaseIfAsked(settings);
        var environment = database is null ? null : new Dictionary<string, string> { ["MNEMO_DATABASE"] = database };
        try
        {
            var starts = await Task.WhenAll(
                ServerProcess.StartAsync(dataDir, environment),
                ServerProcess.StartAsync(dataDir, environment));
            await Task.Delay(300);
            var keys = starts.Sum(s => KeyPattern().Count(string.Join('\n', s.Output)));
            foreach (var server in starts)
            {
                await server.DisposeAsync();
            }

            keys.ShouldBe(1);
        }
        finally
        {
            TestDatabases.Drop(database);
        }
    }
}
