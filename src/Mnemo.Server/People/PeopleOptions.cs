namespace Mnemo.Server.People;

/// <summary><c>Mnemo:People</c>: how near two faces' descriptions must be to be one person (docs/understanding.md, "People").</summary>
public sealed class PeopleOptions
{
    /// <summary>
    /// A face joins the nearest person whose centroid has at least this cosine with it, else it starts a new person.
    /// Measured with bench/vision/people.py on 50 faces of 5 people from Debian packages (docs/benchmarks.md): the same
    /// person (mirrored, smaller, brighter, darker, tilted, recompressed, cropped, the next frame) scores 0.751 to 0.99, two
    /// different people at most 0.477; clustering is pure (1.000) from 0.50 to 0.80. 0.6 sits in the middle of that gap.
    /// </summary>
    public double SameFrom { get; set; } = 0.6;

    /// <summary>
    /// A moment answers a search by photo when one of its faces has at least this cosine with the photo's face: a little
    /// under <see cref="SameFrom"/> (a reference photo is often taken apart from the video), still above the 0.477 of the
    /// nearest two different people measured.
    /// </summary>
    public double MatchFrom { get; set; } = 0.55;

    /// <summary>The largest reference photo a search by photo accepts, in bytes.</summary>
    public long MaxPhotoBytes { get; set; } = 20 * 1024 * 1024;
}
