using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Hosting;

public sealed class RequestIdTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    private async Task<HttpResponseMessage> GetAsync(string path, string? header = null, string? value = null)
    {
        using var client = server.Anonymous();
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task EveryResponseCarriesARequestIdEqualToTheMemicBodys()
    {
        foreach (var path in new[] { "/healthz", "/api/v1/errors", "/api/v1/me", "/serve/api/v2/x", "/nope" })
        {
            var response = await GetAsync(path);
            var id = response.Headers.GetValues("X-Request-Id").Single();
            id.ShouldStartWith("req_");
        }

        var error = await GetAsync("/api/v1/me");
        (await error.BodyAsync()).Str("request_id").ShouldBe(error.Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task AWellFormedIncomingIdIsKeptAndAMalformedOneReplaced()
    {
        var kept = await GetAsync("/api/v1/me", "X-Request-Id", "client-abc.123");
        kept.Headers.GetValues("X-Request-Id").Single().ShouldBe("client-abc.123");
        (await kept.BodyAsync()).Str("request_id").ShouldBe("client-abc.123");

        var replaced = await GetAsync("/api/v1/me", "X-Request-Id", "bad id with spaces <script>");
        replaced.Headers.GetValues("X-Request-Id").Single().ShouldStartWith("req_");
    }

    [Fact]
    public async Task AW3CTraceparentGivesTheId()
    {
        var response = await GetAsync("/healthz", "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        response.Headers.GetValues("X-Request-Id").Single().ShouldBe("req_4bf92f3577b34da6a3ce929d0e0e4736");
    }

    [Fact]
    public async Task EveryLogLineOfARequestCarriesItsId()
    {
        var response = await GetAsync("/api/v1/me", "X-Request-Id", "trace-me-42");
        ((int)response.StatusCode).ShouldBe(401);
        await Task.Delay(200); // the access line is written once the response is sent
        var lines = server.Logs.Where(l => l.RequestId == "trace-me-42" || l.Message.Contains("/api/v1/me")).ToList();
        lines.ShouldAllBe(l => l.RequestId == "trace-me-42");
        var access = lines.ShouldHaveSingleItem(); // one line per request: method, path, status, duration
        access.Category.ShouldBe("Mnemo.Server.Hosting.AccessLog");
        access.Message.ShouldStartWith("GET /api/v1/me answered 401 in ");
    }

    [Fact]
    public async Task RequestsOnOneConnectionEachKeepTheirOwnId()
    {
        // One client, one keep-alive connection: hosting reuses the connection's HttpContext between requests.
        using var client = server.Anonymous();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
            if (i % 2 == 0)
            {
                request.Headers.TryAddWithoutValidation("X-Request-Id", $"conn-{i}");
            }

            var response = await client.SendAsync(request);
            var id = response.Headers.GetValues("X-Request-Id").Single();
            (await response.BodyAsync()).Str("request_id").ShouldBe(id);
            ids.Add(id);
        }

        ids.Distinct().Count().ShouldBe(5);
        ids[0].ShouldBe("conn-0");
        ids[1].ShouldStartWith("req_");
        ids[2].ShouldBe("conn-2");
        await Task.Delay(200);
        foreach (var id in ids)
        {
            server.Logs.Count(l => l.RequestId == id && l.Category == "Mnemo.Server.Hosting.AccessLog").ShouldBe(1);
        }
    }

    [Fact]
    public void NothingKeepsHostingFromReusingAConnectionsHttpContext() =>
        // With an IHttpContextAccessor registered, hosting makes a new HttpContext per request (see CurrentRequest).
        server.Services.GetService<IHttpContextAccessor>().ShouldBeNull();
}
