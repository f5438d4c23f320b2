using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Mnemo.Server.Assets;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Hardening;

/// <summary>
/// upload_url and callbacks reach only public addresses by default: no loopback, private, reserved,
/// multicast or benchmarking range, whatever IPv6 form carries it.
/// </summary>
public sealed class OutboundGuardTests : IDisposable
{
    private readonly MnemoServer server = new(new Dictionary<string, string?> { ["Mnemo:Assets:UrlDownloadTimeoutSeconds"] = "5" });

    public void Dispose() => server.Dispose();

    public static TheoryData<string> NonPublicHosts() =>
    [
        "[::127.0.0.1]",          // IPv4-compatible IPv6
        "[::ffff:127.0.0.1]",     // IPv4-mapped IPv6
        "[64:ff9b::7f00:1]",      // NAT64 of 127.0.0.1
        "[64:ff9b::a00:1]",       // NAT64 of 10.0.0.1
        "[2002:7f00:1::1]",       // 6to4 of 127.0.0.1
        "[2001::1]",              // Teredo
        "[fd00::1]",
        "[ff02::1]",
        "198.18.0.1",             // benchmarking
        "198.19.255.1",
        "224.0.0.1",              // multicast
        "240.0.0.1",              // reserved
        "255.255.255.255",
        "192.0.0.8",
        "0.0.0.0",
        "127.1",
        "2130706433",             // 127.0.0.1 as one number
    ];

    [Theory]
    [MemberData(nameof(NonPublicHosts))]
    public async Task UploadUrlToANonPublicAddressIsRefused(string host)
    {
        using var client = server.WithKey((await server.CreateAccountAsync()).Key);
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["url"] = $"http://{host}:9/clip.mp4" });
        var body = await (await client.PostAsync("/serve/api/v1/upload_url", form)).ShouldBeV1ErrorAsync(400, "0001", "Invalid request parameters");
        body.Str("msg").ShouldContain("private or local address");
    }

    [Theory]
    [MemberData(nameof(NonPublicHosts))]
    public async Task ACallbackToANonPublicAddressIsRefusedAtUpload(string host)
    {
        using var client = server.WithKey((await server.CreateAccountAsync()).Key);
        var response = await client.PostFileAsync("/serve/api/v1/upload", TestMedia.Mp4WithSubtitles,
            fields: new Dictionary<string, string> { ["callback"] = $"http://{host}:9/hook" });
        (await response.ShouldBeV1ErrorAsync(400, "0001", "Invalid request parameters")).Str("msg").ShouldContain("callback");
    }

    [Fact]
    public async Task APublicCallbackAddressIsAccepted()
    {
        using var client = server.WithKey((await server.CreateAccountAsync()).Key);
        var response = await client.PostFileAsync("/serve/api/v1/upload", TestMedia.Mp4WithSubtitles,
            fields: new Dictionary<string, string> { ["callback"] = "https://hooks.example.com/mnemo" });
        ((int)response.StatusCode).ShouldBe(200, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ANameWithAnyNonPublicAddressIsRefused()
    {
        ResolveHost resolve = (host, _) => Task.FromResult(host == "mixed.test"
            ? new[] { IPAddress.Parse("93.184.215.14"), IPAddress.Parse("10.0.0.5") }
            : throw new InvalidOperationException(host));
        using var guarded = new MnemoServer(new Dictionary<string, string?> { ["Mnemo:Assets:UrlDownloadTimeoutSeconds"] = "5" },
            services => services.AddSingleton(resolve));
        using var client = guarded.WithKey((await guarded.CreateAccountAsync()).Key);
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["url"] = "http://mixed.test/clip.mp4" });
        var body = await (await client.PostAsync("/serve/api/v1/upload_url", form)).ShouldBeV1ErrorAsync(400, "0001", "Invalid request parameters");
        body.Str("msg").ShouldContain("private or local address");
    }

    [Fact]
    public async Task TheNameIsResolvedOnceAndTheConnectionGoesToThatAnswer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var remote = builder.Build();
        remote.MapGet("/clip.mp4", () => Results.File(TestMedia.Mp4WithSubtitles, "video/mp4"));
        await remote.StartAsync();
        var port = new Uri(remote.Urls.First()).Port;

        // A rebinding name: the first answer is the vetted one, any later answer points elsewhere.
        var lookups = 0;
        ResolveHost resolve = (_, _) => Task.FromResult(new[] { Interlocked.Increment(ref lookups) == 1 ? IPAddress.Loopback : IPAddress.Parse("10.255.255.1") });
        using var guarded = new MnemoServer(new Dictionary<string, string?>
        {
            ["Mnemo:Assets:AllowPrivateUrls"] = "true",
            ["Mnemo:Assets:UrlDownloadTimeoutSeconds"] = "5",
        }, services => services.AddSingleton(resolve));
        using var client = guarded.WithKey((await guarded.CreateAccountAsync()).Key);
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["url"] = $"http://rebind.test:{port}/clip.mp4" });
        var response = await client.PostAsync("/serve/api/v1/upload_url", form);
        ((int)response.StatusCode).ShouldBe(200, await response.Content.ReadAsStringAsync());
        lookups.ShouldBe(1);
    }
}
