using System.Net.Http.Json;
using System.Text;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Hardening;

/// <summary>Nulls where a prompt expects strings are invalid_request, not a 500.</summary>
public sealed class PromptInputTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    [Theory]
    [InlineData("{\"name\":\"p\",\"body\":\"Hi {{who}}\",\"variables\":[null]}")]
    [InlineData("{\"name\":\"p\",\"body\":\"Hi {{who}}\",\"variables\":[\"who\",null]}")]
    public async Task ANullVariableNameIsInvalidRequest(string body)
    {
        using var client = server.WithKey((await server.CreateAccountAsync()).Key);
        var response = await client.PostAsync("/api/v1/prompts", new StringContent(body, Encoding.UTF8, "application/json"));
        (await response.ShouldBeMemicErrorAsync(400, "invalid_request")).Str("detail").ShouldContain("variables");
    }

    [Fact]
    public async Task ANullVariableValueOnRenderIsInvalidRequest()
    {
        using var client = server.WithKey((await server.CreateAccountAsync()).Key);
        (await client.PostAsJsonAsync("/api/v1/prompts", new { name = "greet", body = "Hi {{who}}" })).StatusCode.ShouldBe(System.Net.HttpStatusCode.Created);
        var response = await client.PostAsync("/api/v1/prompts/greet/render", new StringContent("{\"variables\":{\"who\":null}}", Encoding.UTF8, "application/json"));
        (await response.ShouldBeMemicErrorAsync(400, "invalid_request")).Str("detail").ShouldContain("who");
    }
}
