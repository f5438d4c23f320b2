using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Mnemo.Server.Search.Semantic;

/// <summary>
/// An OpenAI-compatible embeddings endpoint (OpenAI, Ollama, vLLM, llama.cpp, LM Studio, ...):
/// POST {Url}/embeddings {"model", "input": [...]} with an optional bearer key, answered with data[i].embedding.
/// The vectors are normalised here, whatever the server does; truncation is the server's.
/// </summary>
public sealed class HttpEmbedder : Embedder
{
    private readonly HttpClient http;
    private readonly bool ownsClient;
    private readonly Uri endpoint;
    private readonly string? apiKey;
    private readonly int batchSize;

    /// <param name="http">The client to send with; disposed with this embedder only when <paramref name="ownsClient"/>.</param>
    public HttpEmbedder(HttpClient http, EmbedderOptions options, bool ownsClient = false)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Url) || string.IsNullOrWhiteSpace(options.HttpModel) || options.HttpDimensions <= 0)
        {
            throw new ArgumentException("An HTTP embedder needs Url, HttpModel and HttpDimensions.", nameof(options));
        }
        this.http = http;
        this.ownsClient = ownsClient;
        endpoint = new Uri(options.Url.TrimEnd('/') + "/embeddings");
        Model = options.HttpModel;
        Dimensions = options.HttpDimensions;
        apiKey = string.IsNullOrEmpty(options.ApiKey) ? null : options.ApiKey;
        batchSize = Math.Max(1, options.BatchSize);
    }

    public override string Model { get; }

    public override int Dimensions { get; }

    public override async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var vectors = new float[texts.Count][];
        for (var start = 0; start < texts.Count; start += batchSize)
        {
            var batch = texts.Skip(start).Take(batchSize).ToArray();
            var embedded = await PostAsync(batch, ct).ConfigureAwait(false);
            embedded.CopyTo(vectors, start);
        }
        return vectors;
    }

    public override void Dispose()
    {
        if (ownsClient)
        {
            http.Dispose();
        }
        base.Dispose();
    }

    private async Task<float[][]> PostAsync(string[] batch, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = JsonContent.Create(new EmbeddingRequest(Model, batch), options: JsonSerializerOptions.Web),
        };
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            throw new HttpRequestException(
                $"The embedding endpoint {endpoint} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}",
                null, response.StatusCode);
        }
        var answer = await response.Content.ReadFromJsonAsync<EmbeddingResponse>(JsonSerializerOptions.Web, ct).ConfigureAwait(false);
        var data = answer?.Data ?? [];
        if (data.Length != batch.Length)
        {
            throw new InvalidOperationException($"The embedding endpoint answered {data.Length} vectors for {batch.Length} texts.");
        }
        var vectors = new float[batch.Length][];
        for (var i = 0; i < data.Length; i++)
        {
            var index = data[i].Index ?? i;
            var vector = data[i].Embedding;
            if (index < 0 || index >= batch.Length || vectors[index] is not null || vector is null || vector.Length != Dimensions)
            {
                throw new InvalidOperationException(
                    $"The embedding endpoint's vector {i} (index {index}, {vector?.Length ?? 0} dimensions) does not fit {batch.Length} texts of {Dimensions} dimensions.");
            }
            Vectors.Normalize(vector);
            vectors[index] = vector;
        }
        return vectors;
    }

    private sealed record EmbeddingRequest(string Model, string[] Input);

    private sealed record EmbeddingResponse(EmbeddingData[]? Data);

    private sealed record EmbeddingData(float[]? Embedding, int? Index);
}
