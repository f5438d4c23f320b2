using System.Net;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Accounts;

public sealed class TrustedProxyTests : IDisposable
{
    private static readonly string[] PrivateTen = ["10.0.0.0/8"];
    private static readonly string[] DocumentationV6 = ["2001:db8::/32"];

    private readonly MnemoServer server = new(new Dictionary<string, string?> { ["Mnemo:Accounts:TrustedProxies:0"] = "127.0.0.1" });

    public void Dispose() => server.Dispose();

    private static HttpRequestMessage Me(string key, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Add("X-API-Key", key);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }

    [Fact]
    public async Task XForwardedForFromATrustedProxyIsTheClientAddress()
    {
        var v4 = await server.CreateAccountAsync(keyRequest: new { allowed_ips = PrivateTen });
        using var client = server.Anonymous();
        (await client.SendAsync(Me(v4.Key, "10.1.2.3"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await client.SendAsync(Me(v4.Key, "192.0.2.7"))).ShouldBeMemicErrorAsync(403, "ip_not_allowed");

        var v6 = await server.CreateAccountAsync(keyRequest: new { allowed_ips = DocumentationV6 });
        (await client.SendAsync(Me(v6.Key, "2001:db8::42"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var denied = await (await client.SendAsync(Me(v6.Key, "2001:db9::1"))).ShouldBeMemicErrorAsync(403, "ip_not_allowed");
        denied.Str("detail").ShouldContain("2001:db9::1");
    }
}
