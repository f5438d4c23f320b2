using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Accounts;

/// <summary>Every key outcome of the catalog, triggered for real, on each of the three surfaces.</summary>
public sealed class ApiKeyTests : IDisposable
{
    private static readonly string[] PrivateTen = ["10.0.0.0/8"];
    private static readonly string[] PrivateTenAndDocumentationV6 = ["10.0.0.0/8", "2001:db8::/32"];
    private static readonly string[] LoopbackV4 = ["127.0.0.0/8"];
    private static readonly string[] LoopbackV6 = ["::1"];

    private readonly TestClock clock = new();
    private readonly MnemoServer server;

    public ApiKeyTests() => server = new MnemoServer(configureServices: s => s.AddSingleton<TimeProvider>(clock));

    public void Dispose() => server.Dispose();

    /// <summary>A v1/v2 path under the key check: a valid key gets past it to route_not_found.</summary>
    private const string V1 = "/serve/api/v1/probe";
    private const string V2 = "/serve/api/v2/probe";
    private const string Memic = "/api/v1/me";

    private static HttpRequestMessage Memories(string path, string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return request;
    }

    private static HttpRequestMessage MemicRequest(string? key, string path = Memic)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("X-API-Key", key);
        }

        return request;
    }

    private async Task ShouldBeDeniedEverywhereAsync(string? key, int status, string v1Code, string v2Msg, string memicCode, string? memicDetail = null)
    {
        using var client = server.Anonymous();
        await (await client.SendAsync(Memories(V1, key))).ShouldBeV1ErrorAsync(status, v1Code, v2Msg);
        await (await client.SendAsync(Memories(V2, key))).ShouldBeV2ErrorAsync(status, v2Msg);
        var body = await (await client.SendAsync(MemicRequest(key))).ShouldBeMemicErrorAsync(status, memicCode);
        if (memicDetail is not null)
        {
            body.Str("detail").ShouldBe(memicDetail);
        }
    }

    private async Task ShouldBeAcceptedEverywhereAsync(string key)
    {
        using var client = server.Anonymous();
        (await client.SendAsync(Memories(V1, key))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.SendAsync(Memories(V2, "Bearer " + key))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.SendAsync(MemicRequest(key))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task MissingKeyIsInvalidApiKey() =>
        await ShouldBeDeniedEverywhereAsync(null, 401, "0401", "Unauthorized", "invalid_api_key",
            "Missing API key: send it in the X-API-Key header.");

    [Fact]
    public async Task MalformedKeyIsInvalidApiKey() =>
        await ShouldBeDeniedEverywhereAsync("not-a-key", 401, "0401", "Unauthorized", "invalid_api_key", "Malformed API key.");

    [Fact]
    public async Task UnknownKeyIsInvalidApiKey() =>
        await ShouldBeDeniedEverywhereAsync("sk-mnemo-" + new string('A', 43), 401, "0401", "Unauthorized", "invalid_api_key", "Invalid API key.");

    [Fact]
    public async Task ValidKeyIsAcceptedRawOrBearerOnMemoriesAndInXApiKeyOnMemic()
    {
        var account = await server.CreateAccountAsync();
        await ShouldBeAcceptedEverywhereAsync(account.Key);
    }

    [Fact]
    public async Task MemicDoesNotReadTheAuthorizationHeader()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.Anonymous();
        var response = await client.SendAsync(Memories(Memic, account.Key));
        await response.ShouldBeMemicErrorAsync(401, "invalid_api_key");
    }

    [Fact]
    public async Task RevokedKeyFailsOnTheNextRequest()
    {
        var account = await server.CreateAccountAsync();
        await ShouldBeAcceptedEverywhereAsync(account.Key);
        using var admin = server.AdminClient();
        (await admin.DeleteAsync($"/admin/keys/{account.KeyId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await ShouldBeDeniedEverywhereAsync(account.Key, 401, "0401", "Unauthorized", "invalid_api_key", "API key has been revoked.");
    }

    [Fact]
    public async Task OneConnectionCarryingSeveralKeysIsEachTimeTheKeySent()
    {
        var first = await server.CreateAccountAsync();
        var second = await server.CreateAccountAsync();
        using var client = server.Anonymous(); // one keep-alive connection, as behind a proxy
        async Task<string> AccountOf(string key) => (await (await client.SendAsync(MemicRequest(key))).BodyAsync()).Str("organization_name");
        var firstName = await AccountOf(first.Key);
        var secondName = await AccountOf(second.Key);
        secondName.ShouldNotBe(firstName);
        (await AccountOf(first.Key)).ShouldBe(firstName);
        await (await client.SendAsync(MemicRequest(first.Key[..^1] + (first.Key[^1] == 'A' ? 'B' : 'A')))).ShouldBeMemicErrorAsync(401, "invalid_api_key");

        using var admin = server.AdminClient();
        (await admin.DeleteAsync($"/admin/keys/{first.KeyId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await client.SendAsync(MemicRequest(first.Key))).ShouldBeMemicErrorAsync(401, "invalid_api_key");
        (await AccountOf(second.Key)).ShouldBe(secondName);
    }

    [Fact]
    public async Task ExpiredKeyIsInvalidApiKey()
    {
        var account = await server.CreateAccountAsync(keyRequest: new { expires_at = DateTime.UtcNow.AddHours(1) });
        await ShouldBeAcceptedEverywhereAsync(account.Key);
        clock.Advance(TimeSpan.FromHours(2));
        await Task.Delay(1100); // let the one-second key cache lapse: expiry is checked on every request anyway
        await ShouldBeDeniedEverywhereAsync(account.Key, 401, "0401", "Unauthorized", "invalid_api_key", "API key has expired.");
    }

    [Fact]
    public async Task DisabledAccountIsAccountDisabledUntilReEnabled()
    {
        var account = await server.CreateAccountAsync();
        using var admin = server.AdminClient();
        (await admin.PatchAsJsonAsync($"/admin/accounts/{account.Id}", new { status = "disabled" })).EnsureSuccessStatusCode();
        await ShouldBeDeniedEverywhereAsync(account.Key, 403, "0403", "Forbidden", "account_disabled");
        (await admin.PatchAsJsonAsync($"/admin/accounts/{account.Id}", new { status = "active" })).EnsureSuccessStatusCode();
        await ShouldBeAcceptedEverywhereAsync(account.Key);
    }

    [Fact]
    public async Task KeyOutsideItsIpAllowListIsIpNotAllowed()
    {
        var account = await server.CreateAccountAsync(keyRequest: new { allowed_ips = PrivateTenAndDocumentationV6 });
        await ShouldBeDeniedEverywhereAsync(account.Key, 403, "9009", "Forbidden", "ip_not_allowed");
    }

    [Fact]
    public async Task KeyInsideItsIpAllowListIsAcceptedAndAnIPv6OnlyListRejectsIPv4()
    {
        var v4 = await server.CreateAccountAsync(keyRequest: new { allowed_ips = LoopbackV4 });
        await ShouldBeAcceptedEverywhereAsync(v4.Key);
        var v6 = await server.CreateAccountAsync(keyRequest: new { allowed_ips = LoopbackV6 });
        using var client = server.Anonymous();
        await (await client.SendAsync(MemicRequest(v6.Key))).ShouldBeMemicErrorAsync(403, "ip_not_allowed");
    }

    [Fact]
    public async Task XForwardedForIsIgnoredFromAnUntrustedPeer()
    {
        var account = await server.CreateAccountAsync(keyRequest: new { allowed_ips = PrivateTen });
        using var client = server.Anonymous();
        var request = MemicRequest(account.Key);
        request.Headers.Add("X-Forwarded-For", "10.1.2.3");
        await (await client.SendAsync(request)).ShouldBeMemicErrorAsync(403, "ip_not_allowed");
    }

    [Fact]
    public async Task RequestNamingAnotherEnvironmentIsForbidden()
    {
        var account = await server.CreateAccountAsync();
        using var client = server.Anonymous();
        await (await client.SendAsync(Memories(V1 + "?environment_slug=staging", account.Key))).ShouldBeV1ErrorAsync(403, "9009", "Forbidden");
        await (await client.SendAsync(Memories(V2 + "?environment_slug=staging", account.Key))).ShouldBeV2ErrorAsync(403, "Forbidden");
        var body = await (await client.SendAsync(MemicRequest(account.Key, Memic + "?environment_slug=staging"))).ShouldBeMemicErrorAsync(403, "forbidden");
        body.Str("detail").ShouldBe("This API key is bound to environment 'production', not 'staging'.");
        (await client.SendAsync(MemicRequest(account.Key, Memic + "?environment_slug=production"))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task KeyOfAnotherEnvironmentSeesItsOwnEnvironment()
    {
        var account = await server.CreateAccountAsync();
        using var admin = server.AdminClient();
        (await admin.PostAsJsonAsync($"/admin/accounts/{account.Id}/environments", new { name = "staging" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var keyResponse = await admin.PostAsJsonAsync($"/admin/accounts/{account.Id}/keys", new { environment = "staging" });
        var staging = (await keyResponse.BodyAsync()).Str("key");
        using var client = server.Anonymous();
        var me = await (await client.SendAsync(MemicRequest(staging))).BodyAsync();
        me.Str("environment_slug").ShouldBe("staging");
        await (await client.SendAsync(MemicRequest(staging, Memic + "?environment_slug=production"))).ShouldBeMemicErrorAsync(403, "forbidden");
    }

    [Fact]
    public async Task OneAccountNeverSeesAnother()
    {
        var first = await server.CreateAccountAsync(name: "first");
        var second = await server.CreateAccountAsync(name: "second");
        using var client = server.Anonymous();
        var me1 = await (await client.SendAsync(MemicRequest(first.Key))).BodyAsync();
        var me2 = await (await client.SendAsync(MemicRequest(second.Key))).BodyAsync();
        me1.Str("organization_name").ShouldBe("first");
        me1.GetProperty("organization_id").GetGuid().ShouldBe(first.Id);
        me2.Str("organization_name").ShouldBe("second");
        me2.GetProperty("organization_id").GetGuid().ShouldBe(second.Id);
    }
}
