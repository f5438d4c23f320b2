using System.Numerics.Tensors;

namespace Mnemo.Bench.Scale;

/// <summary>
/// Synthetic unit vectors clustered like a real embedding model's: a fixed set of random unit centres
/// (topics); a chunk is normalise(centre + spread · a random unit direction), so chunks of one topic have a
/// cosine of about 0.7 with each other and about 0 with other topics. Each asset draws most of its chunks
/// from a few home topics, as a real document does. They are NOT made from the texts: a real question's
/// vector finds no meaning in them, but an exact scan costs the same whatever the vectors hold.
/// </summary>
public sealed class SyntheticVectors
{
    public const int Dimensions = 384;

    private const int HomeTopics = 4;
    private const double HomeShare = 0.75;

    private readonly float[][] centres;
    private readonly float spread;
    private readonly Random random;
    private int[] home = [];

    public SyntheticVectors(int seed, int clusters, float spread)
    {
        random = new Random(seed);
        this.spread = spread;
        centres = [.. Enumerable.Range(0, clusters).Select(_ => Direction(random, gaussian: true))];
    }

    /// <summary>Starts a new asset: picks its home topics.</summary>
    public void NextAsset() => home = [.. Enumerable.Range(0, HomeTopics).Select(_ => random.Next(centres.Length))];

    /// <summary>The next chunk's vector, written into <paramref name="into"/> (length <see cref="Dimensions"/>).</summary>
    public void Next(Span<float> into)
    {
        var topic = home.Length > 0 && random.NextDouble() < HomeShare ? home[random.Next(home.Length)] : random.Next(centres.Length);
        var noise = Direction(random, gaussian: false);
        TensorPrimitives.MultiplyAdd(noise, spread, centres[topic], into);
        TensorPrimitives.Divide(into, TensorPrimitives.Norm(into), into);
    }

    /// <summary>A question-like vector: near one topic, as a question about it would be.</summary>
    public float[] Question()
    {
        var v = new float[Dimensions];
        home = [];
        Next(v);
        return v;
    }

    /// <summary>A random unit direction: Gaussian components (exactly uniform on the sphere) or uniform ones (close enough in 384 dimensions, and faster).</summary>
    private static float[] Direction(Random random, bool gaussian)
    {
        var v = new float[Dimensions];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = gaussian
                ? (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))
                : (random.NextSingle() * 2) - 1;
        }

        TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
        return v;
    }
}
