using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Hosting;

public sealed class SmokeTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task UnknownV2RouteWithValidKeyAnswersV2EnvelopeWith404()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.WithKey(account.Key);
        var response = await client.GetAsync("/serve/api/v2/no-such-route");
        await response.ShouldBeV2ErrorAsync(404, "Not found");
    }
}
