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

        var v2 = await client.GetAsync("/serve/api/v2/upload");
        await v2.ShouldBeV2ErrorAsync(405, "Method not allowed");
        v2.Content.Headers.Allow.ShouldContain("POST"); // and DELETE: /{asset_id} with asset_id "upload"

        using var admin = server.AdminClient();
        var adminResponse = await admin.DeleteAsync("/admin/accounts");
        await adminResponse.ShouldBeMemicErrorAsync(405, "method_not_allowed");
        adminResponse.Content.Headers.Allow.OrderBy(m => m).ShouldBe(["GET", "POST"]);
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

    [Theory]
    [InlineData("/serve/api/v1/upload")]
    [InlineData("/serve/api/v2/upload")]
    [InlineData("/api/v1/files")]
    [InlineData("/serve/api/v1/upload_img")]
    public async Task MalformedMultipartIs400NotADependencyDown(string path)
    {
        using var client = await KeyedClientAsync();
        var content = new StringContent("garbage without any boundary", Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
        var response = await client.PostAsync(path, content);
        ((int)response.StatusCode).ShouldBe(400);
        response.Headers.Contains("Retry-After").ShouldBeFalse();
        if (path.StartsWith("/api/", StringComparison.Ordinal))
        {
            (await response.ShouldBeMemicErrorAsync(400, "invalid_request")).Str("detail").ShouldContain("multipart");
        }
    }

    [Fact]
    public async Task MultipartFormWithoutBoundaryIs400OnUploadUrl()
    {
        using var client = await KeyedClientAsync();
        var content = new StringContent("url=http://example.com/a.mp4", Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data");
        var response = await client.PostAsync("/serve/api/v1/upload_url", content);
        (await response.ShouldBeV1ErrorAsync(400, "0001", "Invalid request parameters")).Str("msg").ShouldContain("boundary");
    }

    [Fact]
    public async Task MissingJsonBodyIs400SayingSo()
    {
        using var client = await KeyedClientAsync();
        var response = await client.PostAsync("/api/v1/search", new StringContent("", Encoding.UTF8, "application/json"));
        (await response.ShouldBeMemicErrorAsync(400, "invalid_request")).Str("detail").ShouldBe("A JSON request body is required.");
        var v1 = await client.PostAsync("/serve/api/v1/search", new StringContent("", Encoding.UTF8, "application/json"));
        (await v1.ShouldBeV1ErrorAsync(400, "0001", "Invalid request parameters")).Str("msg").ShouldNotContain("Service instead");
    }

    [Fact]
    public async Task TimesReadBackFromTheStoreAreUtcWithZ()
    {
        using var admin = server.AdminClient();
        var created = await (await admin.PostAsync("/admin/accounts",
            new StringContent("{\"name\":\"utc\",\"credits\":5}", Encoding.UTF8, "application/json"))).BodyAsync();
        var id = created.Str("id");
        var patched = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Patch, $"/admin/accounts/{id}")
        {
            Content = new StringContent("{\"status\":\"active\"}", Encoding.UTF8, "application/json"),
        });
        (await patched.BodyAsync()).Str("created_at").ShouldEndWith("Z");

        var key = await (await admin.PostAsync($"/admin/accounts/{id}/keys",
            new StringContent("{\"expires_at\":\"2030-01-01T02:00:00+02:00\"}", Encoding.UTF8, "application/json"))).BodyAsync();
        key.Str("expires_at").ShouldBe("2030-01-01T00:00:00Z");

        using var client = server.WithKey(key.Str("key"));
        (await client.PostAsync("/api/v1/prompts", new StringContent("{\"name\":\"p\",\"body\":\"hi\"}", Encoding.UTF8, "application/json")))
            .StatusCode.ShouldBe(System.Net.HttpStatusCode.Created);
        (await (await client.GetAsync("/api/v1/prompts/p")).BodyAsync()).Str("updated_at").ShouldEndWith("Z");
        (await (await client.GetAsync("/api/v1/prompts/p/versions")).BodyAsync()).GetProperty("items")[0].Str("created_at").ShouldEndWith("Z");
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
