using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Tenancy;

/// <summary>
/// Walks every route of the three OpenAPI documents with keys of another account, another environment
/// of the same project, and another project of the same account, aimed at one owner's data (its ids in
/// paths, queries and bodies, its words in searches), and expects none of that data back; afterwards the
/// owner's data is all still there.
/// </summary>
public sealed class TenantMatrixTests : IDisposable
{
    private const string SecretName = "owner-secret";
    private const string SecretWord = "quokka";

    /// <summary>What intruders search for: other words of the owner's text (answers may echo a query; the secret never is one).</summary>
    private const string Question = "private subtitle track";

    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    private sealed record Owned(string FileId, string VideoNo, string AssetId, string PromptName, string TaskId);

    [Fact]
    public async Task NoRouteGivesAnotherAccountEnvironmentOrProjectTheOwnersData()
    {
        var owner = await server.CreateAccountAsync(credits: 100_000);
        using var ownerClient = server.WithKey(owner.Key);
        var owned = await SeedAsync(ownerClient);

        using var admin = server.AdminClient();
        var stranger = await server.CreateAccountAsync(credits: 100_000);
        var staging = (await (await admin.PostAsJsonAsync($"/admin/accounts/{owner.Id}/keys", new { environment = "staging" })).BodyAsync()).Str("key");
        var projectId = (await (await admin.PostAsJsonAsync($"/admin/accounts/{owner.Id}/projects", new { name = "elsewhere" })).BodyAsync()).Str("id");
        var otherProject = (await (await admin.PostAsJsonAsync($"/admin/accounts/{owner.Id}/keys", new { project_id = projectId })).BodyAsync()).Str("key");

        var operations = await OperationsAsync();
        operations.Count.ShouldBeGreaterThan(30);
        var leaks = new List<string>();
        foreach (var (who, key) in new[] { ("another account", stranger.Key), ("another environment", staging), ("another project", otherProject) })
        {
            using var intruder = server.WithKey(key);
            foreach (var operation in operations)
            {
                using var request = RequestFor(operation, owned);
                using var response = await intruder.SendAsync(request);
                var text = response.Headers + "\n" + response.Content.Headers + "\n" + await response.Content.ReadAsStringAsync();
                if (text.Contains(SecretName, StringComparison.Ordinal) || text.Contains(SecretWord, StringComparison.OrdinalIgnoreCase))
                {
                    leaks.Add($"{who}: {operation.Method} {request.RequestUri} → {(int)response.StatusCode}: {text[..Math.Min(text.Length, 400)]}");
                }
            }
        }

        leaks.ShouldBeEmpty(string.Join("\n", leaks));
        await OwnerStillHasEverythingAsync(ownerClient, owned);
    }

    /// <summary>A file, a video (v1), an asset (v2), a prompt and a video task, each carrying the secret.</summary>
    private static async Task<Owned> SeedAsync(HttpClient client)
    {
        var pdf = Path.Combine(Path.GetTempPath(), $"{SecretName}-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(pdf, TestMedia.TinyPdf($"The {SecretWord} subtitle track is private", "page two"));
        var file = await (await client.PostFileAsync("/api/v1/files", pdf, fileName: SecretName + ".pdf")).BodyAsync();
        var video = await (await client.PostFileAsync("/serve/api/v1/upload", TestMedia.Mp4WithSubtitles, fileName: SecretName + ".mp4")).BodyAsync();
        var asset = await (await client.PostFileAsync("/serve/api/v2/upload", TestMedia.Mp4WithSubtitles, fileName: SecretName + "-2.mp4")).BodyAsync();
        File.Delete(pdf);
        var owned = new Owned(file.Str("id"), video.GetProperty("data").Str("videoNo"), asset.GetProperty("data").Str("asset_id"), "team-prompt", "");
        (await client.PostAsJsonAsync("/api/v1/prompts", new { name = owned.PromptName, body = $"Say {SecretWord}" })).EnsureSuccessStatusCode();
        await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{owned.FileId}"), b => b.Str("status") == "ready");
        await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v1/get_metadata?video_no={owned.VideoNo}"), b => b.GetProperty("data").Str("status") == "PARSE");
        await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v2/{owned.AssetId}/metadata"),
            b => b.GetProperty("data").GetProperty("resource")[0].Str("upload_status") == "SUCCESS");
        var task = await (await client.PostAsJsonAsync("/serve/api/v2/video/clip", new { asset_id = owned.AssetId })).BodyAsync();
        return owned with { TaskId = task.GetProperty("data").Str("task_id") };
    }

    private static async Task OwnerStillHasEverythingAsync(HttpClient client, Owned owned)
    {
        (await (await client.GetAsync($"/api/v1/files/{owned.FileId}")).BodyAsync()).Str("status").ShouldBe("ready");
        (await (await client.GetAsync($"/serve/api/v1/get_metadata?video_no={owned.VideoNo}")).BodyAsync()).GetProperty("data").Str("status").ShouldBe("PARSE");
        (await client.GetAsync($"/serve/api/v2/{owned.AssetId}/download")).IsSuccessStatusCode.ShouldBeTrue();
        (await (await client.GetAsync($"/api/v1/prompts/{owned.PromptName}")).BodyAsync()).Str("body").ShouldContain(SecretWord);
        var hits = await (await client.PostAsJsonAsync("/api/v1/search", new { query = Question })).BodyAsync();
        hits.GetProperty("total_results").GetInt32().ShouldBeGreaterThan(0);
    }

    private sealed record Operation(string Method, string Path, IReadOnlyList<string> Query, JsonElement? Body, bool Json, bool JsonArray, bool Form);

    private async Task<List<Operation>> OperationsAsync()
    {
        using var anonymous = server.Anonymous();
        var operations = new List<Operation>();
        foreach (var document in new[] { "memories-v1", "memories-v2", "memic" })
        {
            var openApi = await (await anonymous.GetAsync($"/openapi/{document}.json")).BodyAsync();
            foreach (var path in openApi.GetProperty("paths").EnumerateObject())
            {
                foreach (var op in path.Value.EnumerateObject())
                {
                    var query = op.Value.TryGetProperty("parameters", out var parameters)
                        ? parameters.EnumerateArray().Where(p => p.Str("in") == "query").Select(p => p.Str("name")).ToList()
                        : [];
                    JsonElement? content = op.Value.TryGetProperty("requestBody", out var body) ? body.GetProperty("content") : null;
                    var schema = content is { } j && j.TryGetProperty("application/json", out var media) ? media.GetProperty("schema") : (JsonElement?)null;
                    var json = schema is not null;
                    var array = schema is { } s && s.TryGetProperty("type", out var type) && type.ToString().Contains("array", StringComparison.Ordinal);
                    var form = content is { } c && !json && c.EnumerateObject().Any();
                    operations.Add(new Operation(op.Name.ToUpperInvariant(), path.Name, query, content, json, array, form));
                }
            }
        }

        return operations;
    }

    /// <summary>The owner's ids wherever a route takes one; the secret word wherever it takes a query.</summary>
    private static HttpRequestMessage RequestFor(Operation operation, Owned owned)
    {
        var path = operation.Path
            .Replace("{asset_id}", owned.AssetId, StringComparison.Ordinal)
            .Replace("{id}", owned.FileId, StringComparison.Ordinal)
            .Replace("{name}", owned.PromptName, StringComparison.Ordinal)
            .Replace("{task_id}", owned.TaskId, StringComparison.Ordinal)
            .Replace("{n}", "1", StringComparison.Ordinal)
            .Replace("{index}", "0", StringComparison.Ordinal)
            .Replace("{token}", "not-a-token", StringComparison.Ordinal);
        var values = new Dictionary<string, string>
        {
            ["video_no"] = owned.VideoNo, ["asset_id"] = owned.AssetId, ["query"] = Question, ["unique_id"] = "default",
        };
        var query = string.Join('&', operation.Query.Where(values.ContainsKey).Select(q => $"{q}={Uri.EscapeDataString(values[q])}"));
        var request = new HttpRequestMessage(new HttpMethod(operation.Method), query.Length > 0 ? $"{path}?{query}" : path);
        if (operation.JsonArray)
        {
            request.Content = JsonContent.Create(new[] { owned.VideoNo });
        }
        else if (operation.Json)
        {
            request.Content = JsonContent.Create(new Dictionary<string, object>
            {
                ["video_no"] = owned.VideoNo, ["asset_id"] = owned.AssetId, ["video_nos"] = new[] { owned.VideoNo },
                ["file_ids"] = new[] { owned.FileId }, ["search_param"] = Question, ["query"] = Question,
                ["name"] = owned.PromptName, ["unique_id"] = "default", ["original_filename"] = "x.mp4",
            });
        }
        else if (operation.Form)
        {
            request.Content = new FormUrlEncodedContent([new("video_no", owned.VideoNo), new("asset_id", owned.AssetId)]);
        }

        return request;
    }
}
