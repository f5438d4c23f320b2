namespace Mnemo.Server.Search;

/// <summary>
/// Runs of consecutive sampled pictures of one asset in which something holds (a picture looks like the query, a
/// person is on it). What is on screen stays there until a picture says otherwise, so a run lasts from its first
/// picture to the next one that does not hold, or to the video's end (the last picture's time when the end is
/// unknown); in an image (time null) the run has no times.
/// </summary>
public static class FrameRuns
{
    /// <summary>Pictures <paramref name="First"/> to <paramref name="Last"/> (indices, inclusive), on screen from <paramref name="Start"/> to <paramref name="End"/>.</summary>
    public readonly record struct Run(int First, int Last, double? Start, double? End);

    /// <summary>The runs of <paramref name="times"/> (in order) whose pictures satisfy <paramref name="holds"/> (by index).</summary>
    public static List<Run> Of(IReadOnlyList<double?> times, Func<int, bool> holds, double? end)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(holds);
        var runs = new List<Run>();
        int? open = null;
        for (var i = 0; i < times.Count; i++)
        {
            if (holds(i))
            {
                open ??= i;
            }
            else if (open is { } first)
            {
                runs.Add(new Run(first, i - 1, times[first], times[i]));
                open = null;
            }
        }

        if (open is { } last)
        {
            runs.Add(new Run(last, times.Count - 1, times[last], times[last] is null ? null : end ?? times[^1]));
        }

        return runs;
    }
}
