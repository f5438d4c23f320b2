namespace Mnemo.Server.Search.Semantic;

/// <summary>The embedder <see cref="EmbedderOptions.Kind"/> names; null for None.</summary>
public static class EmbedderFactory
{
    public const string HttpClientName = "Mnemo.Embedder";

    public static Embedder? Create(EmbedderOptions o, IHttpClientFactory? http)
    {
        ArgumentNullException.ThrowIfNull(o);
        return o.Kind.ToUpperInvariant() switch
        {
            "MINILM" => OnnxEmbedder.MiniLm(o),
            "ONNX" => OnnxEmbedder.FromFiles(
                o.ModelPath ?? throw new InvalidOperationException($"{EmbedderOptions.Section}:ModelPath is needed for Kind Onnx."),
                o.VocabPath ?? throw new InvalidOperationException($"{EmbedderOptions.Section}:VocabPath is needed for Kind Onnx."),
                o),
            "HTTP" => http is null ? new HttpEmbedder(new HttpClient(), o, ownsClient: true) : new HttpEmbedder(http.CreateClient(HttpClientName), o),
            "NONE" => null,
            _ => throw new InvalidOperationException($"{EmbedderOptions.Section}:Kind is MiniLM, Onnx, Http or None, not '{o.Kind}'."),
        };
    }
}
