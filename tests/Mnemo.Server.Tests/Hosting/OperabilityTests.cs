using System.Net;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Hosting;

public sealed class OperabilityTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task HealthAndReadinessNeedNoKey()
    {
        using var client = server.Anonymous();
        (await (await client.GetAsync("/healthz")).BodyAsync()).Str("status").ShouldBe("ok");
        (await (await client.GetAsync("/readyz")).BodyAsync()).Str("status").ShouldBe("ready");
    }

    [Theory]
    [InlineData("memories-v1", "\"code\":")]
    [InlineData("memories-v2", "\"code\":")]
    [InlineData("memic", "\"request_id\":")]
    public async Task EachSurfaceHasAnOpenApiDocumentDeclaringItsErrorSchema(string name, string errorField)
    {
        using var client = server.Anonymous();
        var response = await client.GetAsync($"/openapi/{name}.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var document = await response.BodyAsync();
        document.Str("openapi").ShouldStartWith("3.");
        var error = document.GetProperty("components").GetProperty("schemas").GetProperty("Error");
        error.GetRawText().ShouldContain(errorField.Trim(':'));
    }

    [Fact]
    public async Task MemicDocumentListsItsRoutesWithTheErrorResponses()
    {
        using var client = server.Anonymous();
        var document = await (await client.GetAsync("/openapi/memic.json")).BodyAsync();
        var me = document.GetProperty("paths").GetProperty("/api/v1/me").GetProperty("get");
        me.GetProperty("responses").GetProperty("4XX").GetRawText().ShouldContain("#/components/schemas/Error");
        document.GetProperty("paths").TryGetProperty("/api/v1/sdk/me", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task DocsPageListsTheThreeDocuments()
    {
        using var client = server.Anonymous();
        var page = await client.GetAsync("/docs/index.html");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var config = await (await client.GetAsync("/docs/index.js")).Content.ReadAsStringAsync();
        var html = await page.Content.ReadAsStringAsync();
        foreach (var name in new[] { "memories-v1", "memories-v2", "memic" })
        {
            (html + config).ShouldContain($"/openapi/{name}.json");
        }
    }
}
