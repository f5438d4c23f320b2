using System.Text.Json;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Errors;

public sealed class CatalogApiTests : IDisposable
{
    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task ErrorsRouteListsTheWholeCatalogWithoutAKey()
    {
        using var client = server.Anonymous();
        var response = await client.GetAsync("/api/v1/errors");
        ((int)response.StatusCode).ShouldBe(200);
        var errors = (await response.BodyAsync()).GetProperty("errors").EnumerateArray().ToList();
        errors.Count.ShouldBe(19);
        var notFound = errors.Single(e => e.Str("name") == "asset_not_found");
        notFound.GetProperty("memories_status").GetInt32().ShouldBe(400);
        notFound.GetProperty("memic_status").GetInt32().ShouldBe(404);
        notFound.Str("v2_msg").ShouldBe("Asset not found");
        notFound.Str("memic_code").ShouldBe("file_not_found");
        notFound.Str("cause").ShouldBe("The asset_id does not exist or has been deleted.");
        var unprocessable = errors.Single(e => e.Str("name") == "unprocessable");
        unprocessable.Str("v1_code").ShouldBe("0003");
        unprocessable.GetProperty("memic_status").GetInt32().ShouldBe(422);
        errors.ShouldAllBe(e => e.GetProperty("solution").ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task ErrorsRouteAlsoAnswersUnderTheSdkPrefixButNeedsAKeyThere()
    {
        using var client = server.Anonymous();
        var response = await client.GetAsync("/api/v1/sdk/me");
        await response.ShouldBeMemicErrorAsync(401, "invalid_api_key");
    }
}
