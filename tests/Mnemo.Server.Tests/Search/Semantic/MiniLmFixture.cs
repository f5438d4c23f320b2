using Mnemo.Server.Search.Semantic;

namespace Mnemo.Server.Tests.Search.Semantic;

/// <summary>One built-in MiniLM for the class: loading the model takes about a second.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public OnnxEmbedder Embedder { get; } = OnnxEmbedder.MiniLm(new EmbedderOptions());

    public void Dispose() => Embedder.Dispose();
}
