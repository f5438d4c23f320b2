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
        return [.. FrameRuns.Of([.. ordered.Select(f => f.AtSeconds)], i => ordered[i].Score >= floor, end).Select(run =>
        {
            var best = ordered[run.First..(run.Last + 1)].MaxBy(f => f.Score);
            return new ImageMoment(best.FeatureId, best.FrameIndex, run.Start, run.End, best.Score);
        })];
    }
}
