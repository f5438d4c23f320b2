using System.Net;
using System.Net.Http.Json;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Prompts;

public sealed class PromptTests : IDisposable
{
    private static readonly string[] OnlyA = ["a"];

    private readonly MnemoServer server = new();

    public void Dispose() => server.Dispose();

    private async Task<HttpClient> ClientAsync() => server.WithKey((await server.CreateAccountAsync()).Key);

    [Fact]
    public async Task FirstVersionGoesLiveLaterOnesWaitUntilSetLive()
    {
        using var client = await ClientAsync();
        var first = await client.PostAsJsonAsync("/api/v1/prompts", new { name = "greeting", body = "Hello {{ name }}!" });
        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        var created = await first.BodyAsync();
        created.GetProperty("version_number").GetInt32().ShouldBe(1);
        created.GetProperty("live").GetBoolean().ShouldBeTrue();
        created.GetProperty("variables")[0].GetString().ShouldBe("name");

        var second = await (await client.PostAsJsonAsync("/api/v1/prompts", new { name = "greeting", body = "Hi {{name}}, {{mood}}?" })).BodyAsync();
        second.GetProperty("version_number").GetInt32().ShouldBe(2);
        second.GetProperty("live").GetBoolean().ShouldBeFalse();

        var live = await (await client.GetAsync("/api/v1/prompts/greeting")).BodyAsync();
        live.Str("name").ShouldBe("greeting");
        live.Str("body").ShouldBe("Hello {{ name }}!");
        live.GetProperty("version_number").GetInt32().ShouldBe(1);
        live.TryGetProperty("updated_at", out _).ShouldBeTrue();

        var switched = await client.PostAsync("/api/v1/prompts/greeting/versions/2/live", null);
        switched.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await client.GetAsync("/api/v1/prompts/greeting")).BodyAsync()).GetProperty("version_number").GetInt32().ShouldBe(2);

        var versions = await (await client.GetAsync("/api/v1/prompts/greeting/versions")).BodyAsync();
        versions.GetProperty("live_version").GetInt32().ShouldBe(2);
        versions.GetProperty("items").GetArrayLength().ShouldBe(2);
        versions.GetProperty("items")[0].Str("body").ShouldBe("Hello {{ name }}!");

        (await client.PostAsync("/api/v1/prompts/greeting/versions/1/live", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await client.GetAsync("/api/v1/prompts/greeting")).BodyAsync()).GetProperty("version_number").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task RenderFillsVariablesAndNamesAMissingOne()
    {
        using var client = await ClientAsync();
        await client.PostAsJsonAsync("/api/v1/prompts", new { name = "summary", body = "Summarise {{topic}} for {{audience}}." });
        var rendered = await (await client.PostAsJsonAsync("/api/v1/prompts/summary/render",
            new { variables = new { topic = "whales", audience = "children" } })).BodyAsync();
        rendered.Str("prompt").ShouldBe("Summarise whales for children.");
        rendered.GetProperty("version_number").GetInt32().ShouldBe(1);

        var missing = await client.PostAsJsonAsync("/api/v1/prompts/summary/render", new { variables = new { topic = "whales" } });
        (await missing.ShouldBeMemicErrorAsync(422, "unprocessable_entity")).Str("detail").ShouldBe("Missing variable 'audience'.");
    }

    [Fact]
    public async Task UnknownPromptOrVersionIsPromptNotFound()
    {
        using var client = await ClientAsync();
        await (await client.GetAsync("/api/v1/prompts/nope")).ShouldBeMemicErrorAsync(404, "prompt_not_found");
        await (await client.PostAsJsonAsync("/api/v1/prompts/nope/render", new { })).ShouldBeMemicErrorAsync(404, "prompt_not_found");
        await client.PostAsJsonAsync("/api/v1/prompts", new { name = "p", body = "x" });
        await (await client.PostAsync("/api/v1/prompts/p/versions/9/live", null)).ShouldBeMemicErrorAsync(404, "prompt_not_found");
    }

    [Fact]
    public async Task BadPromptsAreRejectedWithTheReason()
    {
        using var client = await ClientAsync();
        await (await client.PostAsJsonAsync("/api/v1/prompts", new { name = "x" })).ShouldBeMemicErrorAsync(400, "invalid_request");
        await (await client.PostAsJsonAsync("/api/v1/prompts", new { name = "bad name!", body = "x" })).ShouldBeMemicErrorAsync(422, "unprocessable_entity");
        var undeclared = await client.PostAsJsonAsync("/api/v1/prompts", new { name = "p", body = "{{a}} {{b}}", variables = OnlyA });
        (await undeclared.ShouldBeMemicErrorAsync(422, "unprocessable_entity")).Str("detail").ShouldContain("'b'");
    }

    [Fact]
    public async Task PromptsBelongToOneAccountEnvironment()
    {
        using var mine = await ClientAsync();
        using var theirs = await ClientAsync();
        await mine.PostAsJsonAsync("/api/v1/prompts", new { name = "secret", body = "mine" });
        await (await theirs.GetAsync("/api/v1/prompts/secret")).ShouldBeMemicErrorAsync(404, "prompt_not_found");
        var list = await (await theirs.GetAsync("/api/v1/prompts")).BodyAsync();
        list.GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task ConcurrentVersionsGetDistinctNumbers()
    {
        // 32 writers at once, twice: on a prompt none of them finds (they race to create it), then on one that exists.
        const int Writers = 32;
        using var client = await ClientAsync();
        for (var round = 0; round < 2; round++)
        {
            using var start = new ManualResetEventSlim();
            var writers = Enumerable.Range(0, Writers).Select(i => Task.Run(() =>
            {
                start.Wait();
                return client.PostAsJsonAsync("/api/v1/prompts", new { name = "busy", body = $"v{round}-{i}" });
            })).ToList();
            start.Set();
            var responses = await Task.WhenAll(writers);
            responses.Select(r => (int)r.StatusCode).ShouldAllBe(s => s == 201);
            var numbers = await Task.WhenAll(responses.Select(async r => (await r.BodyAsync()).GetProperty("version_number").GetInt32()));
            numbers.Order().ShouldBe(Enumerable.Range(round * Writers + 1, Writers));
        }

        var versions = await (await client.GetAsync("/api/v1/prompts/busy/versions")).BodyAsync();
        versions.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("version_number").GetInt32()).ShouldBe(Enumerable.Range(1, 2 * Writers));
        (await (await client.GetAsync("/api/v1/prompts/busy")).BodyAsync()).GetProperty("version_number").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task PromptsAnswerUnderTheSdkPrefixToo()
    {
        using var client = await ClientAsync();
        await client.PostAsJsonAsync("/api/v1/sdk/prompts", new { name = "sdk", body = "hi" });
        (await (await client.GetAsync("/api/v1/sdk/prompts/sdk")).BodyAsync()).Str("body").ShouldBe("hi");
    }
}
