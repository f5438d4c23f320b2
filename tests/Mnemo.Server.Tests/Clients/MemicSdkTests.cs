using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Clients;

/// <summary>
/// The official Memic Python SDK (0.4.0), call by call, over raw HTTP: the paths it calls (/api/v1/sdk/…),
/// the fields it reads, and its closed FileStatus enum, so no change can break that client again.
/// </summary>
public sealed class MemicSdkTests : IDisposable
{
    /// <summary>The SDK's FileStatus enum: it raises a validation error on any other value.</summary>
    public static readonly string[] SdkStatuses =
    [
        "uploading", "uploaded", "conversion_started", "conversion_complete", "conversion_failed",
        "parsing_started", "parsing_complete", "parsing_failed", "chunking_started", "chunking_complete", "chunking_failed",
        "embedding_started", "embedding_complete", "embedding_failed", "ready", "upload_failed",
    ];

    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task MeAndProjectsAreWhatTheSdkReads()
    {
        var account = await server.CreateAccountAsync();
        using var client = SdkClient(account.Key);

        var me = await (await client.GetAsync("/api/v1/sdk/me")).BodyAsync();
        me.GetProperty("organization_id").GetGuid().ShouldBe(account.Id);
        var projectId = me.GetProperty("project_id").GetGuid();
        projectId.ShouldNotBe(Guid.Empty);
        me.Str("project_name").ShouldBe("default");
        me.Str("environment_slug").ShouldBe("production");

        var projects = await (await client.GetAsync("/api/v1/sdk/projects")).BodyAsync();
        projects.ValueKind.ShouldBe(JsonValueKind.Array);
        var project = projects.EnumerateArray().Single();
        project.GetProperty("id").GetGuid().ShouldBe(projectId);
        project.Str("name").ShouldBe("default");
        project.GetProperty("organization_id").GetGuid().ShouldBe(account.Id);
        project.GetProperty("is_active").GetBoolean().ShouldBeTrue();
        project.GetProperty("created_at").GetDateTime().ShouldNotBe(default);
        project.GetProperty("updated_at").GetDateTime().ShouldNotBe(default);
    }

    [Fact]
    public async Task InitPutConfirmPollAndSearchWithTheDefaultMinScoreWorkUnchanged()
    {
        var account = await server.CreateAccountAsync();
        using var client = SdkClient(account.Key);
        var projectId = (await (await client.GetAsync("/api/v1/sdk/me")).BodyAsync()).GetProperty("project_id").GetGuid();
        var pdf = TestMedia.TinyPdf("The quarterly revenue forecast grew in every region", "A second page about alpacas and llamas");

        // upload_file: init → PUT → confirm
        var init = await client.PostAsJsonAsync("/api/v1/sdk/files/init", new
        {
            filename = "q3.pdf", size = pdf.Length, mime_type = "application/pdf", reference_id = "ref-q3",
            metadata = new { category = "finance", document_type = "report" },
        });
        init.StatusCode.ShouldBe(HttpStatusCode.Created);
        var created = await init.BodyAsync();
        var fileId = created.GetProperty("file_id").GetGuid();

        var uploading = await (await client.GetAsync($"/api/v1/sdk/files/{fileId}")).BodyAsync();
        ShouldBeAnSdkFile(uploading, projectId);
        uploading.Str("status").ShouldBe("uploading");

        using (var anonymous = server.Anonymous())
        {
            (await anonymous.PutAsync(created.Str("upload_url"), new ByteArrayContent(pdf))).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await (await client.GetAsync($"/api/v1/sdk/files/{fileId}/status")).BodyAsync()).Str("status").ShouldBe("uploading");
        var confirmed = await (await client.PostAsync($"/api/v1/sdk/files/{fileId}/confirm", null)).BodyAsync();
        ShouldBeAnSdkFile(confirmed, projectId);
        confirmed.Str("status").ShouldBeOneOf("uploaded", "parsing_started", "embedding_started", "embedding_complete", "ready");

        // wait_for_ready: every status seen on the way parses into the SDK's enum.
        var seen = new List<string>();
        var ready = await Uploads.PollAsync(() => client.GetAsync($"/api/v1/sdk/files/{fileId}/status"), b =>
        {
            ShouldBeAnSdkFile(b, projectId);
            seen.Add(b.Str("status"));
            return b.Str("status") is "ready" || b.Str("status").EndsWith("_failed", StringComparison.Ordinal);
        });
        ready.Str("status").ShouldBe("ready", string.Join(" → ", seen));
        ready.GetProperty("total_chunks").GetInt32().ShouldBeGreaterThan(0);
        ready.GetProperty("total_embeddings").GetInt32().ShouldBeGreaterThan(ready.GetProperty("total_chunks").GetInt32() - 1, "every chunk and the name carry a vector");

        // search with the SDK's default min_score of 0.7: a chunk holding every query word is found.
        var search = await client.PostAsJsonAsync("/api/v1/sdk/search", new { query = "quarterly revenue forecast", top_k = 5, min_score = 0.7 });
        search.StatusCode.ShouldBe(HttpStatusCode.OK);
        var hits = (await search.BodyAsync()).GetProperty("results").GetProperty("semantic").EnumerateArray().ToList();
        var hit = hits.ShouldHaveSingleItem();
        hit.GetProperty("score").GetDouble().ShouldBeGreaterThanOrEqualTo(0.7);
        hit.GetProperty("file_id").GetGuid().ShouldBe(fileId);
        hit.GetProperty("project_id").GetGuid().ShouldBe(projectId);
        hit.Str("reference_id").ShouldBe("ref-q3");
        hit.Str("category").ShouldBe("finance");
        hit.Str("document_type").ShouldBe("report");
        hit.GetProperty("page_number").GetInt32().ShouldBe(1);
        hit.GetProperty("start_page").GetInt32().ShouldBe(1);
        hit.GetProperty("end_page").GetInt32().ShouldBe(1);
        hit.Str("chunk_id").ShouldNotBeNullOrEmpty();
        hit.Str("content").ShouldContain("quarterly revenue");

        // A query about something else scores below one half.
        var other = await (await client.PostAsJsonAsync("/api/v1/sdk/search", new { query = "alpacas grazing in tuscany vineyards", top_k = 5 })).BodyAsync();
        other.GetProperty("results").GetProperty("semantic").EnumerateArray()
            .Where(h => h.Str("content").Contains("revenue", StringComparison.Ordinal)).ShouldBeEmpty();

        // list_files with the status filter takes the same names.
        (await ListIdsAsync(client, "ready")).ShouldContain(fileId);
        (await ListIdsAsync(client, "uploading")).ShouldNotContain(fileId);
        (await ListIdsAsync(client, "parsing_failed")).ShouldNotContain(fileId);
        await (await client.GetAsync("/api/v1/sdk/files?status=pending")).ShouldBeMemicErrorAsync(422, "unprocessable_entity");
    }

    [Fact]
    public async Task AFileThatFailsToParseIsParsingFailedWithItsMessage()
    {
        var account = await server.CreateAccountAsync();
        using var client = SdkClient(account.Key);
        var created = await (await client.PostFileAsync("/api/v1/sdk/files", TestMedia.TruncatedMp4)).BodyAsync();
        created.Str("status").ShouldBeOneOf(SdkStatuses);

        var failed = await Uploads.PollAsync(() => client.GetAsync($"/api/v1/sdk/files/{created.Str("id")}/status"),
            b => b.Str("status") is "ready" || b.Str("status").EndsWith("_failed", StringComparison.Ordinal));
        failed.Str("status").ShouldBe("parsing_failed");
        failed.Str("error_message").ShouldNotBeNullOrEmpty();
        (await ListIdsAsync(client, "parsing_failed")).ShouldContain(failed.GetProperty("id").GetGuid());
    }

    /// <summary>The SDK sends only X-API-Key.</summary>
    private HttpClient SdkClient(string key)
    {
        var client = server.Anonymous();
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    private static void ShouldBeAnSdkFile(JsonElement file, Guid projectId)
    {
        file.Str("status").ShouldBeOneOf(SdkStatuses);
        file.GetProperty("project_id").GetGuid().ShouldBe(projectId);
        file.GetProperty("total_chunks").ValueKind.ShouldBe(JsonValueKind.Number);
        file.GetProperty("total_embeddings").ValueKind.ShouldBe(JsonValueKind.Number);
        file.GetProperty("id").GetGuid().ShouldNotBe(Guid.Empty);
        file.Str("name").ShouldNotBeNullOrEmpty();
    }

    private static async Task<List<Guid>> ListIdsAsync(HttpClient client, string status) =>
        [.. (await (await client.GetAsync($"/api/v1/sdk/files?status={status}&page=1&page_size=100")).BodyAsync())
            .GetProperty("items").EnumerateArray().Select(f => f.GetProperty("id").GetGuid())];
}
