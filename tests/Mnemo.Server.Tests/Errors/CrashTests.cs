using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Errors;

/// <summary>An unexpected exception is a 500 from the catalog: no exception text out, the log ties it to the request id.</summary>
public sealed class CrashTests : IDisposable
{
    private readonly BrokenClock clock = new();
    private readonly MnemoServer server;

    public CrashTests() => server = new MnemoServer(configureServices: s => s.AddSingleton<TimeProvider>(clock));

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task UnhandledExceptionIs500OnEverySurfaceWithoutItsText()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        clock.Broken = true;

        var v1 = await client.GetAsync("/serve/api/v1/anything");
        (await v1.ShouldBeV1ErrorAsync(500, "0500", "Internal server error")).Str("msg").ShouldBe("Internal server error");
        await (await client.GetAsync("/serve/api/v2/anything")).ShouldBeV2ErrorAsync(500, "Internal server error");
        var memic = await client.GetAsync("/api/v1/me");
        var body = await memic.ShouldBeMemicErrorAsync(500, "internal_error");
        body.Str("detail").ShouldBe("Internal server error");

        foreach (var response in new[] { v1, memic })
        {
            (await response.Content.ReadAsStringAsync()).ShouldNotContain("secret internal failure text");
        }

        var requestId = body.Str("request_id");
        var logged = server.Logs.Where(l => l.Level == LogLevel.Error && l.RequestId == requestId).ToList();
        logged.ShouldNotBeEmpty();
        logged.ShouldContain(l => l.Message.Contains(requestId) && l.Exception!.Contains("secret internal failure text"));
    }
}
