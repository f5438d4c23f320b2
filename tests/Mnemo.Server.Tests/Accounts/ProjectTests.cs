using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Mnemo.Server.Accounts;
using Mnemo.Server.Prompts;
using Mnemo.Server.Storage;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Accounts;

/// <summary>An account holds projects; a key is bound to one project environment, and sees only what lives there.</summary>
public sealed class ProjectTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task TheAdminCreatesListsRenamesAndDeactivatesProjects()
    {
        var account = await server.CreateAccountAsync();
        using var admin = server.AdminClient();

        var created = await admin.PostAsJsonAsync($"/admin/accounts/{account.Id}/projects", new { name = "mobile" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var project = await created.BodyAsync();
        project.Str("name").ShouldBe("mobile");
        project.GetProperty("organization_id").GetGuid().ShouldBe(account.Id);
        project.GetProperty("is_active").GetBoolean().ShouldBeTrue();
        var projectId = project.GetProperty("id").GetGuid();

        await (await admin.PostAsJsonAsync($"/admin/accounts/{account.Id}/projects", new { name = "mobile" })).ShouldBeMemicErrorAsync(409, "duplicate_request");
        var listed = await (await admin.GetAsync($"/admin/accounts/{account.Id}/projects")).BodyAsync();
        listed.EnumerateArray().Select(p => p.Str("name")).ShouldBe(["default", "mobile"]);

        var renamed = await (await admin.PatchAsJsonAsync($"/admin/projects/{projectId}", new { name = "mobile-app" })).BodyAsync();
        renamed.Str("name").ShouldBe("mobile-app");

        var key = await (await admin.PostAsJsonAsync($"/admin/accounts/{account.Id}/keys", new { project_id = projectId, environment = "staging" })).BodyAsync();
        key.GetProperty("project_id").GetGuid().ShouldBe(projectId);
        key.Str("environment").ShouldBe("staging");
        using var client = server.WithKey(key.Str("key"));
        var me = await (await client.GetAsync("/api/v1/me")).BodyAsync();
        me.GetProperty("project_id").GetGuid().ShouldBe(projectId);
        me.Str("project_name").ShouldBe("mobile-app");
        me.Str("environment_slug").ShouldBe("staging");

        (await admin.PatchAsJsonAsync($"/admin/projects/{projectId}", new { is_active = false })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await client.GetAsync("/api/v1/me")).ShouldBeMemicErrorAsync(403, "forbidden");

        await (await admin.PostAsJsonAsync($"/admin/accounts/{account.Id}/keys", new { project_id = Guid.NewGuid() })).ShouldBeMemicErrorAsync(422, "unprocessable_entity");
    }

    [Fact]
    public async Task AKeyOfAnotherProjectSeesNothingOfTheDefaultProject()
    {
        var account = await server.CreateAccountAsync(credits: 10_000);
        using var admin = server.AdminClient();
        var projectId = (await (await admin.PostAsJsonAsync($"/admin/accounts/{account.Id}/projects", new { name = "other" })).BodyAsync()).GetProperty("id").GetGuid();
        var otherKey = (await (await admin.PostAsJsonAsync($"/admin/accounts/{account.Id}/keys", new { project_id = projectId })).BodyAsync()).Str("key");
        using var owner = server.WithKey(account.Key);
        using var other = server.WithKey(otherKey);

        var file = await (await owner.PostFileAsync("/api/v1/files", TestMedia.Pdf)).BodyAsync();
        await Uploads.PollAsync(() => owner.GetAsync($"/api/v1/files/{file.Str("id")}"), b => b.Str("status") == "ready");
        var videoNo = (await (await owner.PostFileAsync("/serve/api/v1/upload", TestMedia.Pdf)).BodyAsync()).GetProperty("data").Str("videoNo");
        (await owner.PostAsJsonAsync("/api/v1/prompts", new { name = "greet", body = "Hello {{name}}" })).StatusCode.ShouldBe(HttpStatusCode.Created);

        (await (await other.GetAsync("/api/v1/files")).BodyAsync()).GetProperty("total").GetInt32().ShouldBe(0);
        await (await other.GetAsync($"/api/v1/files/{file.Str("id")}")).ShouldBeMemicErrorAsync(404, "file_not_found");
        (await (await other.PostAsJsonAsync("/api/v1/search", new { query = "llamas" })).BodyAsync()).GetProperty("total_results").GetInt32().ShouldBe(0);
        await (await other.GetAsync("/api/v1/prompts/greet")).ShouldBeMemicErrorAsync(404, "prompt_not_found");
        (await (await other.PostAsJsonAsync("/serve/api/v1/list_videos", new { page = 1, size = 10 })).BodyAsync())
            .GetProperty("data").GetProperty("total_count").GetInt32().ShouldBe(0);
        (await (await other.GetAsync($"/serve/api/v1/get_metadata?video_no={videoNo}")).BodyAsync()).GetProperty("data").ValueKind.ShouldBe(JsonValueKind.Null);

        // The owner still sees all of it.
        (await (await owner.PostAsJsonAsync("/api/v1/search", new { query = "llamas" })).BodyAsync()).GetProperty("total_results").GetInt32().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task DataFromBeforeProjectsMovesIntoTheDefaultProject()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "mnemo-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var postgres = TestDatabases.ServerConnectionString is null ? null : TestDatabases.CreatePostgresDatabase();
        var accountId = Guid.CreateVersion7();
        var environmentId = Guid.CreateVersion7();
        var key = ApiKeys.Generate();
        await using (var db = OldStore(dataDir, postgres))
        {
            // The schema as it was before projects, with an account, its environment, a key and a prompt.
            var first = db.Database.IsSqlite() ? "20261122232511_Initial" : "20261122232515_Initial";
            await db.GetService<IMigrator>().MigrateAsync(first);
            var now = DateTime.UtcNow;
            db.Accounts.Add(new Account { Id = accountId, Name = "old", Balance = 500, CreatedAt = now });
            await db.SaveChangesAsync();
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""INSERT INTO environments ("Id", "AccountId", "Name", "CreatedAt") VALUES ({environmentId}, {accountId}, {"production"}, {now})""");
            db.ApiKeys.Add(new ApiKey { AccountId = accountId, EnvironmentId = environmentId, Prefix = key.Prefix, Hash = key.Hash, CreatedAt = now });
            var prompt = new Prompt { AccountId = accountId, EnvironmentId = environmentId, Name = "kept", LatestVersion = 1, LiveVersion = 1, CreatedAt = now, UpdatedAt = now };
            db.Prompts.Add(prompt);
            db.PromptVersions.Add(new PromptVersion { PromptId = prompt.Id, Number = 1, Body = "still here", Variables = "", CreatedAt = now });
            await db.SaveChangesAsync();
        }

        var settings = new Dictionary<string, string?> { ["MNEMO_DATA_DIR"] = dataDir };
        if (postgres is not null)
        {
            settings["MNEMO_DATABASE"] = postgres;
        }

        using var upgraded = new MnemoServer(settings);
        using var client = upgraded.WithKey(key.Secret);
        var me = await (await client.GetAsync("/api/v1/me")).BodyAsync();
        me.GetProperty("organization_id").GetGuid().ShouldBe(accountId);
        me.GetProperty("project_id").GetGuid().ShouldBe(accountId, "the default project keeps the id /me showed before projects");
        me.Str("project_name").ShouldBe("default");
        me.GetProperty("environment_id").GetGuid().ShouldBe(environmentId);
        (await (await client.GetAsync("/api/v1/prompts/kept")).BodyAsync()).Str("body").ShouldBe("still here");
        var projects = await (await client.GetAsync("/api/v1/projects")).BodyAsync();
        projects.EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).ShouldBe([accountId]);
        TestDatabases.Drop(postgres);
    }

    private static MnemoDb OldStore(string dataDir, string? postgres) => postgres is null
        ? new SqliteMnemoDb(new DbContextOptionsBuilder<SqliteMnemoDb>().UseSqlite($"Data Source={Path.Combine(dataDir, "mnemo.db")}").Options)
        : new PostgresMnemoDb(new DbContextOptionsBuilder<PostgresMnemoDb>().UseNpgsql(postgres).Options);
}
