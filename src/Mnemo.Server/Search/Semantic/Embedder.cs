namespace Mnemo.Server.Search.Semantic;

/// <summary>One seam: the default in-process MiniLM, an operator's own ONNX file, or an OpenAI-compatible endpoint.</summary>
public abstract class Embedder : IDisposable
{
    /// <summary>The model's name, e.g. "all-MiniLM-L6-v2": vectors of different models are not comparable.</summary>
    public abstract string Model { get; }

    /// <summary>The length of every vector (384 for MiniLM).</summary>
    public abstract int Dimensions { get; }

    /// <summary>
    /// L2-normalised vectors, one per text, same order. Texts longer than the model's window are truncated
    /// (MiniLM: 256 word pieces).
    /// </summary>
    public abstract Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken ct);

    public virtual void Dispose()
    {
        GC.SuppressFinalize(this);
    }
}
