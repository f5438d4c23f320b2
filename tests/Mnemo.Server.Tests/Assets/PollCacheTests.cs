using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mnemo.Server.Assets;
using Mnemo.Server.Processing;
using Mnemo.Server.Storage;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Assets;

/// <summary>Status polls answer from a per-instance cache; whatever changes an asset on this instance shows at once.</summary>
public sealed class PollCacheTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task TheEndOfAParseShowsInTheNextPollOnBothSurfaces()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Services.GetRequiredService<ProcessingHooks>().BeforeCommit = async (_, ct) =>
        {
            entered.TrySetResult();
            await gate.Task.WaitAsync(ct);
        };
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var videoNo = (await (await client.PostFileAsync("/serve/api/v1/upload", TestMedia.Mp4WithSubtitles)).BodyAsync()).GetProperty("data").Str("videoNo");
        var assetId = "re_" + videoNo["VI".Length..];
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(60));
        for (var i = 0; i < 3; i++) // cached now
        {
            (await V1StatusAsync(client, videoNo)).ShouldBe("UNPARSE");
            (await V2StatusAsync(client, assetId)).ShouldBe("UPLOADING");
        }

        gate.SetResult();
        // list_videos reads the database: once it shows the parse committed, a poll must too.
        await Uploads.PollAsync(() => client.PostAsJsonAsync("/serve/api/v1/list_videos", new { status = "PARSE" }),
            b => b.GetProperty("data").GetProperty("total_count").GetInt32() == 1);
        (await V1StatusAsync(client, videoNo)).ShouldBe("PARSE");
        (await V2StatusAsync(client, assetId)).ShouldBe("SUCCESS");

        (await (await client.PostAsync($"/serve/api/v2/{assetId}/reparse", null)).BodyAsync()).GetProperty("code").GetInt32().ShouldBe(200);
        (await V2StatusAsync(client, assetId)).ShouldBeOneOf("WAITING", "UPLOADING");
        (await (await client.DeleteAsync($"/serve/api/v2/{assetId}")).BodyAsync()).GetProperty("code").GetInt32().ShouldBe(200);
        await (await client.GetAsync($"/serve/api/v2/{assetId}/metadata")).ShouldBeV2ErrorAsync(400, "Asset not found");
        (await (await client.GetAsync($"/serve/api/v1/get_metadata?video_no={videoNo}")).BodyAsync()).GetProperty("data").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null); // unknown to this caller: data null, as the hosted API
    }

    [Fact]
    public async Task AnotherAccountsAssetIsNotFoundFromTheCacheEither()
    {
        var owner = await server.CreateAccountAsync();
        var other = await server.CreateAccountAsync();
        using var client = server.WithKey(owner.Key);
        using var otherClient = server.WithKey(other.Key);
        var assetId = (await (await client.PostFileAsync("/serve/api/v2/upload", TestMedia.Mp4WithSubtitles)).BodyAsync()).GetProperty("data").Str("asset_id");
        (await V2StatusAsync(client, assetId)).ShouldNotBeNull(); // cached for the owner

        await (await otherClient.GetAsync($"/serve/api/v2/{assetId}/metadata")).ShouldBeV2ErrorAsync(400, "Asset not found");
        var v1 = await (await otherClient.GetAsync($"/serve/api/v1/get_metadata?video_no=VI{assetId["re_".Length..]}")).BodyAsync();
        v1.GetProperty("data").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null); // unknown to this caller: data null, as the hosted API
    }

    [Fact]
    public async Task AWriteOutsideAnyRequestShowsInTheNextPoll()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var assetId = (await (await client.PostFileAsync("/serve/api/v2/upload", TestMedia.Mp4WithSubtitles)).BodyAsync()).GetProperty("data").Str("asset_id");
        var id = long.Parse(assetId["re_".Length..], System.Globalization.CultureInfo.InvariantCulture);
        await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v2/{assetId}/metadata"),
            b => b.GetProperty("data").GetProperty("resource")[0].Str("upload_status") == "SUCCESS");
        (await V2StatusAsync(client, assetId)).ShouldBe("SUCCESS"); // cached now

        using (var scope = server.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MnemoDb>();
            await db.Set<Asset>().Where(a => a.Id == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.DeletedAt, DateTime.UtcNow));
        }

        await (await client.GetAsync($"/serve/api/v2/{assetId}/metadata")).ShouldBeV2ErrorAsync(400, "Asset not found");

        using (var scope = server.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MnemoDb>();
            var asset = await db.Set<Asset>().SingleAsync(a => a.Id == id);
            asset.DeletedAt = null;
            await db.SaveChangesAsync();
        }

        (await V2StatusAsync(client, assetId)).ShouldBe("SUCCESS");
    }

    private static async Task<string> V1StatusAsync(HttpClient client, string videoNo) =>
        (await (await client.GetAsync($"/serve/api/v1/get_metadata?video_no={videoNo}")).BodyAsync()).GetProperty("data").Str("status");

    private static async Task<string> V2StatusAsync(HttpClient client, string assetId) =>
        (await (await client.GetAsync($"/serve/api/v2/{assetId}/metadata")).BodyAsync()).GetProperty("data").GetProperty("resource")[0].Str("upload_status");
}
