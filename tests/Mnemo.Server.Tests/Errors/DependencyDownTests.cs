using Microsoft.Data.Sqlite;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Errors;

/// <summary>A store that does not answer is service_unavailable with Retry-After, never a 500.</summary>
public sealed class DependencyDownTests : IDisposable
{
    // The SQLite file is what this test breaks, so it runs on SQLite whatever the suite runs on.
    private readonly MnemoServer server = new(new Dictionary<string, string?> { ["Mnemo:Accounts:KeyCacheSeconds"] = "0", ["MNEMO_DATABASE"] = "" });

    public void Dispose() => server.Dispose();

    private void BreakTheDatabase()
    {
        var db = Path.Combine(server.DataDir, "mnemo.db");
        foreach (var file in new[] { db, db + "-wal", db + "-shm" })
        {
            File.Delete(file);
        }

        Directory.CreateDirectory(db); // a directory where the file was: SQLite cannot open it
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task ReadyzAndEverySurfaceAnswer503WithRetryAfterWhenTheDatabaseIsGone()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        (await client.GetAsync("/readyz")).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);

        BreakTheDatabase();

        var ready = await client.GetAsync("/readyz");
        await ready.ShouldBeMemicErrorAsync(503, "service_unavailable");
        ready.Headers.RetryAfter!.Delta.ShouldNotBeNull();
        var v1 = await client.GetAsync("/serve/api/v1/anything");
        await v1.ShouldBeV1ErrorAsync(503, "0503", "Service unavailable");
        v1.Headers.RetryAfter.ShouldNotBeNull();
        var v2 = await client.GetAsync("/serve/api/v2/anything");
        await v2.ShouldBeV2ErrorAsync(503, "Service unavailable");
        v2.Headers.RetryAfter.ShouldNotBeNull();
        var memic = await client.GetAsync("/api/v1/me");
        await memic.ShouldBeMemicErrorAsync(503, "service_unavailable");
        memic.Headers.RetryAfter.ShouldNotBeNull();
        (await client.GetAsync("/healthz")).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }
}
