using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Mnemo.Server.Search.Semantic;

/// <summary>Float vectors as stored (little-endian float32 bytes) and compared (dot product of unit vectors).</summary>
public static class Vectors
{
    public static byte[] ToBytes(float[] v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return MemoryMarshal.AsBytes(v.AsSpan()).ToArray();
    }

    public static float[] FromBytes(byte[] b)
    {
        ArgumentNullException.ThrowIfNull(b);
        if (b.Length % sizeof(float) != 0)
        {
            throw new ArgumentException($"A vector of {b.Length} bytes is not a whole number of floats.", nameof(b));
        }
        return MemoryMarshal.Cast<byte, float>(b).ToArray();
    }

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => TensorPrimitives.Dot(a, b);

    /// <summary>A copy scaled to unit length, so a dot product is the cosine; a zero vector stays zero.</summary>
    public static float[] Unit(float[] v)
    {
        ArgumentNullException.ThrowIfNull(v);
        var copy = (float[])v.Clone();
        Normalize(copy);
        return copy;
    }

    /// <summary>Scales to unit length in place; a zero vector stays zero.</summary>
    public static void Normalize(Span<float> v)
    {
        var norm = TensorPrimitives.Norm(v);
        if (norm > 0)
        {
            TensorPrimitives.Divide(v, norm, v);
        }
    }
}
