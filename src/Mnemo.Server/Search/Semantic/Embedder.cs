// PLACEHOLDER: replaced by h-embedder's Embedder.cs at merge.
using System.Runtime.InteropServices;

namespace Mnemo.Server.Search.Semantic;

public abstract class Embedder : IDisposable
{
    public abstract string Model { get; }
    public abstract int Dimensions { get; }
    public abstract Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken ct);
    public virtual void Dispose() => GC.SuppressFinalize(this);
}

public sealed class EmbedderOptions
{
    public string Kind { get; set; } = "MiniLM";
    public int BatchSize { get; set; } = 32;
}

public static class EmbedderFactory
{
    public static Embedder? Create(EmbedderOptions o, IHttpClientFactory? http) => null;
}

public static class Vectors
{
    public static byte[] ToBytes(float[] v) => MemoryMarshal.AsBytes(v.AsSpan()).ToArray();
    public static float[] FromBytes(byte[] b) => MemoryMarshal.Cast<byte, float>(b).ToArray();
}
