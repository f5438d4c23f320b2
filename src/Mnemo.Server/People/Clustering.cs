using System.Numerics.Tensors;
using Mnemo.Server.Search;
using Mnemo.Server.Search.Semantic;

namespace Mnemo.Server.People;

/// <summary>
/// The rules of people, without the database: a face joins the nearest person whose centroid is at least
/// <see cref="PeopleOptions.SameFrom"/> away in cosine, else starts a person; a person seen in consecutive pictures of a
/// video is one moment.
/// </summary>
public static class Clustering
{
    /// <summary>A person to compare with: its key (its row, or a new one's place) and its unit centroid.</summary>
    public sealed record Candidate(object Key, float[] Centroid);

    /// <summary>The nearest candidate at or above <paramref name="sameFrom"/>, or null.</summary>
    public static (Candidate Person, double Cosine)? Nearest(IEnumerable<Candidate> people, float[] face, double sameFrom)
    {
        (Candidate, double)? best = null;
        foreach (var p in people)
        {
            var cosine = (double)Vectors.Dot(p.Centroid, face);
            if (cosine >= sameFrom && (best is null || cosine > best.Value.Item2))
            {
                best = (p, cosine);
            }
        }

        return best;
    }

    /// <summary>The unit-length mean of unit vectors.</summary>
    public static float[] Centroid(IEnumerable<float[]> faces)
    {
        float[]? sum = null;
        foreach (var f in faces)
        {
            sum ??= new float[f.Length];
            TensorPrimitives.Add(sum, f, sum);
        }

        return sum is null ? [] : Vectors.Unit(sum);
    }

    /// <summary>
    /// One person's spans in one asset, as <c>Seeing.Merge</c> makes an object's: a run of consecutive pictures (of
    /// <paramref name="lookedAt"/>, in order) that show them lasts from the first to the next picture that does not,
    /// or to <paramref name="end"/>. In an image (times null) the one moment has no times.
    /// </summary>
    public static List<Span> Moments(IReadOnlyList<double?> lookedAt, ISet<double?> seenAt, double? end)
    {
        var spans = FrameRuns.Of(lookedAt, i => seenAt.Contains(lookedAt[i]), end)
            .Select(run => new Span(run.Start, run.End, [.. lookedAt.Skip(run.First).Take(run.Last - run.First + 1)]))
            .ToList();

        // A face at a time the list of pictures does not name: a moment of its own.
        foreach (var at in seenAt.Where(t => !lookedAt.Contains(t)).Order())
        {
            spans.Add(new Span(at, at is null ? null : Math.Max(at.Value, end ?? at.Value), [at]));
        }

        return spans;
    }

    /// <summary>A moment: from <paramref name="Start"/> to <paramref name="End"/>, made of the pictures at <paramref name="Times"/>.</summary>
    public sealed record Span(double? Start, double? End, List<double?> Times);
}
