using Microsoft.Extensions.Logging;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Hosting;

/// <summary>One access line per request, with status and duration; successful status polls only at Debug.</summary>
public sealed class AccessLogTests
{
    private const string Category = "Mnemo.Server.Hosting.AccessLog";

    private static async Task<(string AssetId, HttpClient Client)> ReadyAssetAsync(MnemoServer server)
    {
        var account = await server.CreateAccountAsync();
        var client = server.WithKey(account.Key);
        var assetId = (await (await client.PostFileAsync("/serve/api/v2/upload", TestMedia.Mp4WithSubtitles)).BodyAsync()).GetProperty("data").Str("asset_id");
        await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v2/{assetId}/metadata"),
            b => b.GetProperty("data").GetProperty("resource")[0].Str("upload_status") == "SUCCESS");
        return (assetId, client);
    }

    private static async Task<List<CapturedLog>> LinesOfAsync(MnemoServer server, HttpResponseMessage response)
    {
        var id = response.Headers.GetValues("X-Request-Id").Single();
        await Task.Delay(200); // the line is written once the response is sent
        return [.. server.Logs.Where(l => l.Category == Category && l.RequestId == id)];
    }

    [Fact]
    public async Task EveryRequestIsLoggedOnceButSuccessfulPollsAndProbesAreNotByDefault()
    {
        using var server = new MnemoServer();
        var (assetId, client) = await ReadyAssetAsync(server);
        using var _ = client;

        var poll = await client.GetAsync($"/serve/api/v2/{assetId}/metadata");
        (await LinesOfAsync(server, poll)).ShouldBeEmpty();

        var failedPoll = await client.GetAsync("/serve/api/v2/re_999999/metadata");
        var failed = (await LinesOfAsync(server, failedPoll)).ShouldHaveSingleItem();
        failed.Level.ShouldBe(LogLevel.Information);
        failed.Message.ShouldStartWith("GET /serve/api/v2/re_999999/metadata answered 400 in ");

        (await LinesOfAsync(server, await client.GetAsync("/healthz"))).ShouldBeEmpty();
        var download = await client.GetAsync($"/serve/api/v2/{assetId}/download");
        (await LinesOfAsync(server, download)).ShouldHaveSingleItem().Message.ShouldStartWith($"GET /serve/api/v2/{assetId}/download answered 200 in ");
    }

    [Fact]
    public async Task AtDebugSuccessfulPollsAreLoggedToo()
    {
        using var server = new MnemoServer(new Dictionary<string, string?> { [$"Logging:LogLevel:{Category}"] = "Debug" });
        var (assetId, client) = await ReadyAssetAsync(server);
        using var _ = client;

        var poll = await client.GetAsync($"/serve/api/v1/get_metadata?video_no=VI{assetId["re_".Length..]}");
        var line = (await LinesOfAsync(server, poll)).ShouldHaveSingleItem();
        line.Level.ShouldBe(LogLevel.Debug);
        line.Message.ShouldStartWith($"GET /serve/api/v1/get_metadata?video_no=VI{assetId["re_".Length..]} answered 200 in ");
    }
}
