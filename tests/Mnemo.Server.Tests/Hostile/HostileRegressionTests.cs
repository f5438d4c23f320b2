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
        (await response.ShouldBeMemicErrorAsync(400, "invalid_request")).Str("detail").ShouldContain("parts");
    }
}
