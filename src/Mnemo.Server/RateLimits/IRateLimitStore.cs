namespace Mnemo.Server.RateLimits;

/// <summary>The outcome of counting one request: the numbers behind the RateLimit-* headers (a value: no allocation per request).</summary>
public readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, DateTime WindowEndsAt);

/// <summary>
/// Where fixed-window counters live: in process on the embedded default; in PostgreSQL (a later issue)
/// so several instances share one budget. Windows are aligned to multiples of the window length since
/// the Unix epoch, so every instance and implementation agrees on them.
/// </summary>
public interface IRateLimitStore
{
    /// <summary>Counts one request against <paramref name="bucket"/>'s current window, unless the window is full.</summary>
    ValueTask<RateLimitDecision> AcquireAsync(string bucket, RateLimitRule rule, CancellationToken cancellationToken);
}

public static class RateLimitWindows
{
    public static DateTime StartOf(DateTime now, int windowSeconds)
    {
        var window = TimeSpan.FromSeconds(Math.Max(1, windowSeconds)).Ticks;
        var sinceEpoch = now.Ticks - DateTime.UnixEpoch.Ticks;
        return new DateTime(now.Ticks - (sinceEpoch % window), DateTimeKind.Utc);
    }
}
