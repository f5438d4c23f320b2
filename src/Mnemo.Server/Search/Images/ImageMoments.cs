namespace Mnemo.Server.Search.Images;

/// <summary>One picture compared with the query: its time in the video (null for an image) and its score.</summary>
public readonly record struct FrameMatch(long FeatureId, int FrameIndex, double? AtSeconds, double Score);

/// <summary>A run of matching pictures: an image, or the moment of a video from the first matching frame to the next frame that does not match.</summary>
public sealed record ImageMoment(long FeatureId, int FrameIndex, double? StartSeconds, double? EndSeconds, double Score);

/// <summary>Frames of one video that look like the query, merged into moments.</summary>
public static class ImageMoments
{
    /// <summary>
    /// Consecutive sampled frames scoring at least <paramref name="floor"/> make one moment, from the first of them to
    /// the next sampled frame (what is on screen stays there until a frame says otherwise) or the video's
    /// <paramref name="end"/>; its score is its best frame's. An image (one picture without a time) is one moment.
    /// </summary>
    public static List<ImageMoment> Merge(IReadOnlyList<FrameMatch> frames, double? end, double floor)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var ordered = frames.OrderBy(f => f.AtSeconds ?? 0).ThenBy(f => f.FrameIndex).ToList();
        var moments = new List<ImageMoment>();
        FrameMatch? first = null;
        FrameMatch? best = null;
        foreach (var frame in ordered)
        {
            if (frame.Score >= floor)
            {
                first ??= frame;
                best = best is { } b && b.Score >= frame.Score ? b : frame;
                continue;
            }

            if (first is { } open && best is { } top)
            {
                moments.Add(new ImageMoment(top.FeatureId, top.FrameIndex, open.AtSeconds, frame.AtSeconds, top.Score));
            }

            (first, best) = (null, null);
        }

        if (first is { } last && best is { } peak)
        {
            moments.Add(new ImageMoment(peak.FeatureId, peak.FrameIndex, last.AtSeconds,
                last.AtSeconds is null ? null : end ?? ordered[^1].AtSeconds, peak.Score));
        }

        return moments;
    }
}
