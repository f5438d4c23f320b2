using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Mnemo.Server.Search.Semantic;

namespace Mnemo.Server.Tests.Search.Semantic;

/// <summary>An OpenAI-shaped embeddings endpoint on loopback, answering vectors that are not unit length and out of order.</summary>
public sealed class HttpEmbedderTests : IAsyncLifetime
{
    private readonly List<(string? Authorization, string Model, string[] Input)> requests = [];
    private WebApplication? remote;
    private string url = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        remote = builder.Build();
        remote.MapPost("/v1/embeddings", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var model = body.RootElement.GetProperty("model").GetString()!;
            var input = body.RootElement.GetProperty("input").EnumerateArray().Select(e => e.GetString()!).ToArray();
            lock (requests)
            {
                requests.Add((context.Request.Headers.Authorization.FirstOrDefault(), model, input));
            }
            if (input.Contains("fail"))
            {
                return Results.Json(new { error = new { message = "model overloaded" } }, statusCode: 503);
            }
            // Vector of "text": [length, 1, 0], sent last first with its index.
            var data = input.Select((text, i) => new { @object = "embedding", index = i, embedding = new[] { text.Length, 1f, 0f } }).Reverse();
            return Results.Json(new { @object = "list", data, model, usage = new { prompt_tokens = 1, total_tokens = 1 } });
        });
        await remote.StartAsync();
        url = $"http://127.0.0.1:{new Uri(remote.Urls.First()).Port}/v1/";
    }

    public async Task DisposeAsync()
    {
        if (remote is not null)
        {
            await remote.DisposeAsync();
        }
    }

    private HttpEmbedder Embedder(string? key = null, int batchSize = 32) =>
        new(new HttpClient(), new EmbedderOptions { Kind = "Http", Url = url, HttpModel = "nomic-embed-text", HttpDimensions = 3, ApiKey = key, BatchSize = batchSize }, ownsClient: true);

    [Fact]
    public async Task VectorsComeBackNormalisedInTheTextsOrderInBatchesWithTheKey()
    {
        using var embedder = Embedder("sk-test", batchSize: 2);
        embedder.Model.ShouldBe("nomic-embed-text");
        var vectors = await embedder.EmbedAsync(["", "abc", "abcdefg"], CancellationToken.None);

        vectors[0].ShouldBe([0f, 1f, 0f], 1e-6);
        vectors[1].ShouldBe([0.9486833f, 0.31622776f, 0f], 1e-6);
        vectors[2].ShouldBe([0.98994946f, 0.14142136f, 0f], 1e-6);
        requests.Count.ShouldBe(2);
        requests.ShouldAllBe(r => r.Authorization == "Bearer sk-test" && r.Model == "nomic-embed-text");
        requests[0].Input.ShouldBe(["", "abc"]);
        requests[1].Input.ShouldBe(["abcdefg"]);
    }

    [Fact]
    public async Task WithoutAKeyNoAuthorizationIsSent()
    {
        using var embedder = Embedder();
        (await embedder.EmbedAsync(["x"], CancellationToken.None)).Length.ShouldBe(1);
        requests.Single().Authorization.ShouldBeNull();
    }

    [Fact]
    public async Task AnErrorStatusThrowsWithWhatTheServerSaid()
    {
        using var embedder = Embedder();
        var error = await Should.ThrowAsync<HttpRequestException>(() => embedder.EmbedAsync(["fail"], CancellationToken.None));
        error.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        error.Message.ShouldContain("model overloaded");
    }

    [Fact]
    public async Task VectorsOfTheWrongLengthAreRefused()
    {
        using var embedder = new HttpEmbedder(new HttpClient(), new EmbedderOptions { Url = url, HttpModel = "m", HttpDimensions = 768 }, ownsClient: true);
        await Should.ThrowAsync<InvalidOperationException>(() => embedder.EmbedAsync(["x"], CancellationToken.None));
    }
}
