using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mnemo.Server.Assets;
using Mnemo.Server.Storage;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Hostile;

/// <summary>One server for the hostile-input passes, with a rich account and the things to aim at.</summary>
public sealed class HostileServer : IAsyncLifetime
{
    private static readonly string[] PromptVariables = ["x"];

    public MnemoServer Server { get; } = new();

    public string Key { get; private set; } = "";

    private (long Number, Guid FileId) download;
    private MnemoServer.TestAccount victim = null!;

    public async Task InitializeAsync()
    {
        Key = (await Server.CreateAccountAsync(credits: 1_000_000_000)).Key;
        victim = await Server.CreateAccountAsync(credits: 10);
        using var client = Server.WithKey(Key);
        download = await UploadAsync(client);
        (await client.PostAsJsonAsync("/api/v1/prompts", new { name = "fuzz-prompt", body = "Hello {{x}}", variables = PromptVariables }))
            .EnsureSuccessStatusCode();
    }

    /// <summary>What one pass aims at: a fresh asset and fresh upload tokens, since a pass deletes and uses them up.</summary>
    public async Task<FuzzFixture> NewFixtureAsync()
    {
        using var client = Server.WithKey(Key);
        var (asset, file) = await UploadAsync(client);
        var init = await (await client.PostAsJsonAsync("/api/v1/files/init", new { filename = "n.txt", size = 39, mime_type = "text/plain" })).BodyAsync();
        var signed = await (await client.PostAsJsonAsync("/serve/api/v2/upload/signed-url", new { original_filename = "n.txt" })).BodyAsync();
        return new FuzzFixture(asset, file, download.Number, download.FileId, "fuzz-prompt",
            TokenOf(init.Str("upload_url")), TokenOf(signed.GetProperty("data").Str("signed_url")), victim.Id, victim.KeyId);
    }

    private async Task<(long Number, Guid FileId)> UploadAsync(HttpClient client)
    {
        var content = new MultipartFormDataContent { { new ByteArrayContent(MultipartBodies.TextFile), "file", "note.txt" } };
        var created = await (await client.PostAsync("/api/v1/files", content)).BodyAsync();
        var fileId = Guid.Parse(created.Str("id"));
        using var scope = Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MnemoDb>();
        return (await db.Set<Asset>().Where(a => a.FileId == fileId).Select(a => a.Id).SingleAsync(), fileId);
    }

    private static string TokenOf(string url) => url.Split('?')[0].TrimEnd('/').Split('/')[^1];

    public Task DisposeAsync()
    {
        Server.Dispose();
        return Task.CompletedTask;
    }
}
