using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Mnemo.Server.Processing;
using Mnemo.Server.Work;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Processing;

public sealed class JobRecoveryTests : IDisposable
{
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "mnemo-tests", "restart-" + Guid.NewGuid().ToString("N"));

    // Both servers of the restart test must see one store: on PostgreSQL, one database for the test.
    private readonly string? postgres = TestDatabases.ServerConnectionString is null ? null : TestDatabases.CreatePostgresDatabase();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        TestDatabases.Drop(postgres);
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Dictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>
            {
                ["MNEMO_DATA_DIR"] = dataDir,
                ["Mnemo:Processing:LeaseSeconds"] = "2",
            };
            if (postgres is not null)
            {
                settings["MNEMO_DATABASE"] = postgres;
            }

            return settings;
        }
    }

    private static JsonElement Resource(JsonElement body) => body.GetProperty("data").GetProperty("resource")[0];

    [Fact]
    public async Task JobInterruptedByARestartAndThenByACrashedLeaseFinishesExactlyOnce()
    {
        string assetId;
        string key;
        using (var first = new MnemoServer(Settings))
        {
            var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            first.Services.GetRequiredService<ProcessingHooks>().BeforeCommit = async (_, ct) =>
            {
                entered.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            };
            key = (await first.CreateAccountAsync()).Key;
            using var client = first.WithKey(key);
            assetId = (await (await client.PostFileAsync("/serve/api/v2/upload", TestMedia.Mp4WithSubtitles)).BodyAsync()).GetProperty("data").Str("asset_id");
            await entered.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Resource(await (await client.GetAsync($"/serve/api/v2/{assetId}/metadata")).BodyAsync()).Str("upload_status").ShouldBe("UPLOADING");
        }

        // Now as if a worker had crashed holding the job: leased, lease still running for a moment.
        var until = DateTime.UtcNow.AddSeconds(1);
        if (postgres is null)
        {
            await using var db = new SqliteConnection($"Data Source={Path.Combine(dataDir, "mnemo.db")}");
            await db.OpenAsync();
            var command = db.CreateCommand();
            command.CommandText = "UPDATE jobs SET State = 'Leased', LeaseOwner = 'crashed-worker', LeaseExpiresAt = $until";
            command.Parameters.AddWithValue("$until", until.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF"));
            (await command.ExecuteNonQueryAsync()).ShouldBe(1);
        }
        else
        {
            await using var db = new Npgsql.NpgsqlConnection(postgres);
            await db.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(
                "UPDATE jobs SET \"State\" = 'Leased', \"LeaseOwner\" = 'crashed-worker', \"LeaseExpiresAt\" = @until", db);
            command.Parameters.AddWithValue("until", until);
            (await command.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        using var second = new MnemoServer(Settings);
        using var again = second.WithKey(key);
        var resource = Resource(await Uploads.PollAsync(() => again.GetAsync($"/serve/api/v2/{assetId}/metadata"),
            b => Resource(b).Str("upload_status") is "SUCCESS" or "FAILED"));
        resource.Str("upload_status").ShouldBe("SUCCESS");

        using var scope = second.Services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<Mnemo.Server.Storage.MnemoDb>();
        var id = long.Parse(assetId["re_".Length..]);
        var jobs = store.Set<Job>().Where(j => j.AssetId == id).ToList();
        jobs.Count.ShouldBe(1);
        jobs[0].State.ShouldBe(JobState.Done);
        jobs[0].Attempts.ShouldBe(2);
        store.Set<Mnemo.Server.Assets.AssetChunk>().Count(c => c.AssetId == id && c.IsTranscript).ShouldBe(2);
        var thumbnails = store.Set<Mnemo.Server.Assets.AssetThumbnail>().Count(t => t.AssetId == id);
        thumbnails.ShouldBeGreaterThan(0);
        Directory.GetFiles(Path.Combine(dataDir, "assets", id.ToString(), "thumbs")).Length.ShouldBe(thumbnails);
    }

    [Fact]
    public async Task ReparseReplacesDerivedDataInsteadOfAddingToIt()
    {
        using var server = new MnemoServer();
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var videoNo = (await (await client.PostFileAsync("/serve/api/v1/upload", TestMedia.Mp4WithSubtitles)).BodyAsync()).GetProperty("data").Str("videoNo");
        await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v1/get_metadata?video_no={videoNo}"), b => b.GetProperty("data").Str("status") == "PARSE");

        using var admin = server.AdminClient();
        var reparse = await admin.PostAsync($"/admin/assets/{videoNo}/reparse", null);
        (await reparse.BodyAsync()).Str("status").ShouldBe("queued");
        await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v1/get_metadata?video_no={videoNo}"), b => b.GetProperty("data").Str("status") == "PARSE");

        var transcript = (await (await client.GetAsync($"/serve/api/v1/get_video_transcription?video_no={videoNo}")).BodyAsync()).GetProperty("data");
        transcript.GetProperty("transcriptions").GetArrayLength().ShouldBe(2);
        await (await admin.PostAsync("/admin/assets/VI999999/reparse", null)).ShouldBeMemicErrorAsync(404, "file_not_found");
    }
}
