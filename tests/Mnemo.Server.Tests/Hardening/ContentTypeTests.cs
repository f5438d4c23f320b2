using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Hardening;

/// <summary>A JSON body whose charset is unknown is the caller's mistake (415), on every JSON route, never a 500.</summary>
public sealed partial class ContentTypeTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    [GeneratedRegex(@"\{(?<name>[^}:]+)(?::(?<constraint>[^}]+))?\}")]
    private static partial Regex Parameter();

    /// <summary>Every route that takes a JSON body, with its route values filled in.</summary>
    private List<(string Method, string Path)> JsonRoutes()
    {
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        return [.. endpoints
            .Where(e => e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.Contains("application/json") == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(method => (method,
                "/" + Parameter().Replace(e.RoutePattern.RawText!.TrimStart('/'), m => m.Groups["constraint"].Value switch
                {
                    "int" => "1",
                    "guid" => Guid.NewGuid().ToString(),
                    _ => m.Groups["name"].Value == "asset_id" ? "re_1" : "x1",
                }))))
            .Distinct()];
    }

    [Theory]
    [InlineData("application/json; charset=bogus")]
    [InlineData("application/json; charset=")]
    public async Task AnUnknownCharsetIs415OnEveryJsonRoute(string contentType)
    {
        var key = (await server.CreateAccountAsync()).Key;
        using var client = server.Anonymous();
        var routes = JsonRoutes();
        routes.Count.ShouldBeGreaterThanOrEqualTo(23);
        foreach (var (method, path) in routes)
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{}")) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            request.Headers.TryAddWithoutValidation("Authorization", path.StartsWith("/admin/", StringComparison.Ordinal) ? $"Bearer {MnemoServer.AdminToken}" : key);
            request.Headers.TryAddWithoutValidation("X-API-Key", key);
            var response = await client.SendAsync(request);
            ((int)response.StatusCode).ShouldBe(415, $"{method} {path}: {await response.Content.ReadAsStringAsync()}");
            await response.ShouldBeErrorOnAsync(path, "unsupported_media_type");
        }
    }

    [Fact]
    public async Task AKnownCharsetStillWorksQuotedOrNot()
    {
        using var admin = server.AdminClient();
        foreach (var contentType in new[] { "application/json; charset=utf-8", "application/json; charset=\"UTF-8\"", "application/json;charset=utf-16" })
        {
            var encoding = contentType.EndsWith("utf-16", StringComparison.Ordinal) ? Encoding.Unicode : Encoding.UTF8;
            var content = new ByteArrayContent(encoding.GetBytes("{\"name\":\"charset\",\"credits\":1}"));
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            var response = await admin.PostAsync("/admin/accounts", content);
            ((int)response.StatusCode).ShouldBe(201, $"{contentType}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
