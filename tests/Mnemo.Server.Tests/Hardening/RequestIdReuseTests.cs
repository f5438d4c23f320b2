using System.Net.Http.Json;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Hardening;

/// <summary>
/// A client may send the same X-Request-Id twice (a retry of its own, a fixed id in a script): each paid
/// call is its own charge, never a 500 from the ledger.
/// </summary>
public sealed class RequestIdReuseTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object? body, string requestId)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Request-Id", requestId);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task ReusingARequestIdOnPaidRoutesChargesEachCall()
    {
        var account = await server.CreateAccountAsync(credits: 100_000);
        using var client = server.WithKey(account.Key);
        var assetId = (await (await client.PostFileAsync("/serve/api/v2/upload", TestMedia.Png)).BodyAsync()).GetProperty("data").Str("asset_id");
        var paid = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Post, "/api/v1/search", new { query = "anything", top_k = 5 }),
            (HttpMethod.Post, "/serve/api/v1/search", new { search_param = "anything", search_type = "BY_VIDEO" }),
            (HttpMethod.Get, $"/serve/api/v2/{assetId}/download", null),
        };
        foreach (var (method, path, body) in paid)
        {
            var requestId = "client-chosen-" + Guid.NewGuid().ToString("N")[..8];
            var before = await client.BalanceAsync();
            var first = await SendAsync(client, method, path, body, requestId);
            ((int)first.StatusCode).ShouldBe(200, $"{path}: {await first.Content.ReadAsStringAsync()}");
            var afterFirst = await client.BalanceAsync();
            var second = await SendAsync(client, method, path, body, requestId);
            ((int)second.StatusCode).ShouldBe(200, $"{path} again: {await second.Content.ReadAsStringAsync()}");
            second.Headers.GetValues("X-Request-Id").Single().ShouldBe(requestId);
            (afterFirst - await client.BalanceAsync()).ShouldBe(before - afterFirst, $"{path}: the second call is charged like the first");
        }
    }
}
