using System.Text;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Hostile;

/// <summary>Each defect the hostile-input suite found and this branch fixed, pinned by its exact request.</summary>
public sealed class HostileRegressionTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    [Fact]
    public async Task NullInAllowedIpsIsUnprocessableNotACrash()
    {
        var account = await server.CreateAccountAsync();
        using var admin = server.AdminClient();
        var response = await admin.PostAsync($"/admin/accounts/{account.Id}/keys", Json("{\"allowed_ips\":[null]}"));
        (await response.ShouldBeMemicErrorAsync(422, "unprocessable_entity")).Str("detail").ShouldContain("allowed_ips");
    }

    [Fact]
    public async Task TensOfThousandsOfVideoNosAreUnprocessableNotACrash()
    {
        using var client = server.WithKey((await server.CreateAccountAsync()).Key);
        var ids = string.Join(',', Enumerable.Range(1, 40_000).Select(i => $"\"VI{i}\""));
        var response = await client.PostAsync("/serve/api/v1/search", Json($"{{\"search_param\":\"hello\",\"video_nos\":[{ids}]}}"));
        (await response.ShouldBeV1ErrorAsync(400, "0003", "Invalid request parameters")).Str("msg").ShouldContain("video_nos");
    }

    [Fact]
    public async Task MultipartWithThousandsOfPartsIsInvalid()
    {
        using var client = server.WithKey((await server.CreateAccountAsync()).Key);
        var parts = Enumerable.Range(0, 5000).Select(i => MultipartBodies.Field("f" + i, "v"))
            .Append(MultipartBodies.File("file"));
        var content = new ByteArrayContent(MultipartBodies.Write(parts));
        content.Headers.TryAddWithoutValidation("Content-Type", MultipartBodies.ContentType);
        var response = await client.PostAsync("/api/v1/files", content);
        (await response.ShouldBeMemicErrorAsync(400, "invalid_request")).Str("detail").ShouldMatch("(?i)parts|fields"); // the field cap or the part cap, whichever comes first
    }

    /// <summary>SQLite stores these; PostgreSQL refuses them (NUL in text, an index entry over ~2.7 KB): a 400 there, never a 500.</summary>
    [Theory]
    [InlineData("POST", "/admin/accounts", "{\"name\":\"a\\u0000b\",\"credits\":1}")]
    [InlineData("POST", "/admin/accounts", "{\"name\":\"LONG\",\"credits\":1}")]
    [InlineData("POST", "/api/v1/prompts", "{\"name\":\"p\",\"body\":\"\\u0000\"}")]
    [InlineData("POST", "/serve/api/v1/search", "{\"search_param\":\"hello\",\"unique_id\":\"\\u0000\"}")]
    [InlineData("GET", "/serve/api/v1/search_audio_transcripts?query=%00", null)]
    [InlineData("POST", "/serve/api/v2/upload/signed-url", "{\"original_filename\":\"LONG\"}")]
    public async Task ValuesTheDatabaseRefusesAreInvalidRequestsNotCrashes(string method, string path, string? body)
    {
        var account = await server.CreateAccountAsync();
        using var client = path.StartsWith("/admin", StringComparison.Ordinal) ? server.AdminClient() : server.WithKey(account.Key);
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = Json(body.Replace("LONG", HostileValues.Big(HostileValues.Megabyte), StringComparison.Ordinal));
        }

        var response = await client.SendAsync(request);
        ((int)response.StatusCode).ShouldBeLessThan(500);
        if (!response.IsSuccessStatusCode)
        {
            ((int)response.StatusCode).ShouldBe(400);
            (await response.BodyAsync()).ToString().ShouldContain("NUL");
        }
    }
}
