using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Processing;

public sealed class CallbackTests : IAsyncLifetime
{
    private const string Secret = "callback-secret";
    private readonly ConcurrentQueue<(string Body, string Signature)> received = new();
    private WebApplication? remote;
    private string remoteBase = "";
    private int calls;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        remote = builder.Build();
        remote.MapGet("/media/{name}", (string name) => Results.File(name == "clip.mp4" ? TestMedia.Mp4WithSubtitles : TestMedia.TruncatedMp4, "video/mp4"));
        remote.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            received.Enqueue((body, request.Headers["X-Mnemo-Signature"].ToString()));
            // The first delivery fails, so the sender must retry.
            return Interlocked.Increment(ref calls) == 1 ? Results.StatusCode(500) : Results.Ok();
        });
        await remote.StartAsync();
        remoteBase = remote.Urls.First();
    }

    public async Task DisposeAsync()
    {
        if (remote is not null)
        {
            await remote.DisposeAsync();
        }
    }

    [Fact]
    public async Task UploadUrlIsDownloadedAndTheSignedCallbackIsRetriedUntilDelivered()
    {
        using var server = new MnemoServer(new Dictionary<string, string?>
        {
            ["Mnemo:Assets:AllowPrivateUrls"] = "true",
            ["Mnemo:Callbacks:Secret"] = Secret,
            ["Mnemo:Callbacks:BaseDelaySeconds"] = "0.2",
            ["Mnemo:Callbacks:PollMilliseconds"] = "100",
        });
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["url"] = $"{remoteBase}/media/clip.mp4",
            ["callback"] = $"{remoteBase}/hook",
        });
        var data = (await (await client.PostAsync("/serve/api/v1/upload_url", form)).BodyAsync()).GetProperty("data");
        var videoNo = data.Str("videoNo");
        data.Str("videoName").ShouldBe("clip.mp4");

        var metadata = (await Uploads.PollAsync(() => client.GetAsync($"/serve/api/v1/get_metadata?video_no={videoNo}"),
            b => b.GetProperty("data").Str("status") != "UNPARSE")).GetProperty("data");
        metadata.Str("status").ShouldBe("PARSE");
        metadata.GetProperty("size").GetInt64().ShouldBe(new FileInfo(TestMedia.Mp4WithSubtitles).Length);

        await Uploads.PollAsync(() => Task.FromResult(new HttpResponseMessage { Content = JsonContent.Create(new { n = received.Count }) }),
            b => b.GetProperty("n").GetInt32() >= 2, seconds: 20);
        var deliveries = received.ToList();
        deliveries.Count.ShouldBe(2);
        foreach (var (body, signature) in deliveries)
        {
            var json = JsonDocument.Parse(body).RootElement;
            json.Str("videoNo").ShouldBe(videoNo);
            json.Str("status").ShouldBe("PARSE");
            signature.ShouldBe("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(body))));
        }
    }

    [Fact]
    public async Task UploadUrlOnAPrivateAddressIsRefusedByDefault()
    {
        using var server = new MnemoServer();
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["url"] = $"{remoteBase}/media/clip.mp4" });
        var body = await (await client.PostAsync("/serve/api/v1/upload_url", form)).ShouldBeV1ErrorAsync(400, "0001", "Invalid request parameters");
        body.Str("msg").ShouldContain("private or local address");
    }

    [Fact]
    public async Task UploadUrlOverTheSizeCapIsFileTooLargeAndLeavesNoFile()
    {
        using var server = new MnemoServer(new Dictionary<string, string?>
        {
            ["Mnemo:Assets:AllowPrivateUrls"] = "true",
            ["Mnemo:Assets:VideoMaxBytes"] = "20000",
        });
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["url"] = $"{remoteBase}/media/clip.mp4" });
        await (await client.PostAsync("/serve/api/v1/upload_url", form)).ShouldBeV1ErrorAsync(413, "0413", "File too large");
        Uploads.StoredFiles(server.DataDir).ShouldBeEmpty();
    }

    [Fact]
    public async Task UploadUrlThatAnswersAnErrorIsInvalidRequest()
    {
        using var server = new MnemoServer(new Dictionary<string, string?> { ["Mnemo:Assets:AllowPrivateUrls"] = "true" });
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["url"] = $"{remoteBase}/nothing-here" });
        await (await client.PostAsync("/serve/api/v1/upload_url", form)).ShouldBeV1ErrorAsync(400, "0001", "Invalid request parameters");
    }
}
