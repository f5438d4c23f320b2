using Microsoft.Extensions.DependencyInjection;
using Mnemo.Server.Processing;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Assets;

/// <summary>The owner's re-parse: of a failed or ready asset, paid like the first parse, refused while it runs.</summary>
public sealed class ReparseTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task AFailedFileIsParsedAgainAndEachFailedRunIsRefunded()
    {
        var account = await server.CreateAccountAsync(credits: 1000);
        using var client = server.WithKey(account.Key);
        var id = (await (await client.PostFileAsync("/api/v1/files", TestMedia.TruncatedMp4)).BodyAsync()).Str("id");
        await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{id}/status"), b => b.Str("status") == "parsing_failed");

        var again = await client.PostAsync($"/api/v1/files/{id}/reparse", null);
        (await again.BodyAsync()).Str("status").ShouldBeOneOf("uploaded", "parsing_started", "embedding_started", "embedding_complete");
        var failed = await Uploads.PollAsync(() => client.GetAsync($"/api/v1/files/{id}/status"), b => b.Str("status") == "parsing_failed");
        failed.Str("error_message").ShouldNotBeNullOrEmpty();

        var usage = await (await client.GetAsync("/api/v1/usage?limit=50")).BodyAsync();
        usage.GetProperty("balance").GetInt64().ShouldBe(1000, usage.GetRawText());
        usage.GetProperty("entries").EnumerateArray().Count(e => e.Str("reason").StartsWith("parse failed")).ShouldBe(2);
        await (await client.PostAsync($"/api/v1/files/{Guid.NewGuid()}/reparse", null)).ShouldBeMemicErrorAsync(404, "file_not_found");
    }

    [Fact]
    public async Task AV2AssetIsReparsedWhenReadyAndRefusedWhileProcessing()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Services.GetRequiredService<ProcessingHooks>().BeforeCommit = async (_, ct) =>
        {
            entered.TrySetResult();
            await gate.Task.WaitAsync(ct);
        };
        var account = await server.CreateAccountAsync(credits: 1000);
        using var client = server.WithKey(account.Key);
        var assetId = (await (await client.PostFileAsync("/serve/api/v2/upload", TestMedia.Mp4WithSubtitles)).BodyAsync()).GetProperty("data").Str("asset_id");
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(60));

        await (await client.PostAsync($"/serve/api/v2/{assetId}/reparse", null)).ShouldBeV2ErrorAsync(409, "File is still processing");
        gate.SetResult();
        await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v2/{assetId}/metadata"),
            b => b.GetProperty("data").GetProperty("resource")[0].Str("upload_status") == "SUCCESS");

        var reparse = await (await client.PostAsync($"/serve/api/v2/{assetId}/reparse", null)).BodyAsync();
        reparse.GetProperty("data").Str("asset_id").ShouldBe(assetId);
        var done = await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v2/{assetId}/metadata"),
            b => b.GetProperty("data").GetProperty("resource")[0].Str("upload_status") == "SUCCESS");
        done.GetProperty("data").GetProperty("resource")[0].Str("upload_status").ShouldBe("SUCCESS");
        await (await client.PostAsync("/serve/api/v2/re_999999/reparse", null)).ShouldBeV2ErrorAsync(400, "Asset not found");
    }
}
