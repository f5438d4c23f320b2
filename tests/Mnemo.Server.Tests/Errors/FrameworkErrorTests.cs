using System.Net.Http.Headers;
using System.Text;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Errors;

/// <summary>Router- and framework-level failures answer from the catalog, in each surface's envelope.</summary>
public sealed class FrameworkErrorTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    private async Task<HttpClient> KeyedClientAsync() => server.WithKey((await server.CreateAccountAsync()).Key);

    [Fact]
    public async Task UnknownRouteIs404OnEverySurface()
    {
        using var client = await KeyedClientAsync();
        await (await client.GetAsync("/serve/api/v1/no-such-route")).ShouldBeV1ErrorAsync(404, "0404", "Not found");
        await (await client.GetAsync("/serve/api/video/no-such-route")).ShouldBeV1ErrorAsync(404, "0404", "Not found");
        await (await client.GetAsync("/serve/api/v2/no-such-route")).ShouldBeV2ErrorAsync(404, "Not found");
        (await (await client.GetAsync("/api/v1/no-such-route")).ShouldBeMemicErrorAsync(404, "not_found")).Str("detail").ShouldBe("Not found");
        await (await client.GetAsync("/no-such-root")).ShouldBeMemicErrorAsync(404, "not_found");
        using var admin = server.AdminClient();
        await (await admin.GetAsync("/admin/no-such-route")).ShouldBeMemicErrorAsync(404, "not_found");
    }

    [Fact]
    public async Task WrongMethodIs405WithAllow()
    {
        using var client = await KeyedClientAsync();
        var response = await client.PostAsync("/api/v1/me", null);
        await response.ShouldBeMemicErrorAsync(405, "method_not_allowed");
        response.Content.Headers.Allow.ShouldBe(["GET"]);

        using var admin = server.AdminClient();
        var adminResponse = await admin.GetAsync("/admin/accounts");
        await adminResponse.ShouldBeMemicErrorAsync(405, "method_not_allowed");
        adminResponse.Content.Headers.Allow.ShouldBe(["POST"]);
    }

    [Fact]
    public async Task WrongContentTypeIs415()
    {
        using var admin = server.AdminClient();
        var response = await admin.PostAsync("/admin/accounts", new StringContent("name=x", Encoding.UTF8, "text/plain"));
        await response.ShouldBeMemicErrorAsync(415, "unsupported_media_type");
    }

    [Fact]
    public async Task MalformedJsonIs400()
    {
        using var admin = server.AdminClient();
        var response = await admin.PostAsync("/admin/accounts", new StringContent("{\"name\": ", Encoding.UTF8, "application/json"));
        (await response.ShouldBeMemicErrorAsync(400, "invalid_request")).Str("detail").ShouldContain("JSON");
    }

    [Fact]
    public async Task WrongTypedParameterIs400NamingIt()
    {
        using var admin = server.AdminClient();
        var response = await admin.PostAsync("/admin/accounts",
            new StringContent("{\"name\":\"a\",\"credits\":\"lots\"}", Encoding.UTF8, "application/json"));
        (await response.ShouldBeMemicErrorAsync(400, "invalid_request")).Str("detail").ShouldContain("$.credits");
    }

    [Fact]
    public async Task WrongTypedRouteValueIs404AndWrongTypedQueryIs400()
    {
        using var admin = server.AdminClient();
        await (await admin.GetAsync("/admin/accounts/not-a-uuid")).ShouldBeMemicErrorAsync(404, "not_found");
    }

    [Fact]
    public async Task BodyOverTheRouteLimitIs413()
    {
        using var admin = server.AdminClient();
        var huge = "{\"name\":\"" + new string('a', 2 * 1024 * 1024) + "\"}";
        var response = await admin.PostAsync("/admin/accounts", new StringContent(huge, Encoding.UTF8, "application/json"));
        await response.ShouldBeMemicErrorAsync(413, "file_too_large");
    }

    [Fact]
    public async Task ChunkedBodyOverTheRouteLimitIs413()
    {
        using var admin = server.AdminClient();
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"name\":\"" + new string('a', 2 * 1024 * 1024) + "\"}")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/admin/accounts") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var response = await admin.SendAsync(request);
        await response.ShouldBeMemicErrorAsync(413, "file_too_large");
    }
}
