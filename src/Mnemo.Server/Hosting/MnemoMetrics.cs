using System.Diagnostics.Metrics;

namespace Mnemo.Server.Hosting;

/// <summary>
/// Mnemo's own instruments, beside ASP.NET Core's (requests by route and status, tagged with the surface),
/// EF Core's, the HTTP client's and the runtime's. Recording costs next to nothing while nothing listens
/// (telemetry is off by default: <see cref="Telemetry"/>).
/// </summary>
public static class MnemoMetrics
{
    public const string MeterName = "Mnemo";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>One run of a parse step (reading, speech, ocr, …) and how it ended; its count is the engine runs.</summary>
    public static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>(
        "mnemo.parse.step.duration", "s", "How long each parse step took, by step and outcome (ok, failed, skipped).");

    public static readonly Counter<long> CreditsDebited = Meter.CreateCounter<long>(
        "mnemo.credits.debited", "{credit}", "Credits taken from balances, by ledger kind (reserve, settle, adjust).");

    public static readonly Counter<long> CreditsCredited = Meter.CreateCounter<long>(
        "mnemo.credits.credited", "{credit}", "Credits given back or added, by ledger kind (refund, settle, adjust).");

    public static readonly Counter<long> RateLimitRejections = Meter.CreateCounter<long>(
        "mnemo.ratelimit.rejections", "{request}", "Requests answered 429, by surface and route class.");

    /// <summary>Set by <see cref="ParseQueueSampler"/>: jobs waiting or running, and the age of the oldest.</summary>
    public static void ObserveQueue(Func<ParseQueueSample> sample)
    {
        Meter.CreateObservableGauge("mnemo.parse.queue.depth", () => sample().Depth, "{job}", "Parse jobs queued or running.");
        Meter.CreateObservableGauge("mnemo.parse.queue.oldest_age", () => sample().OldestAgeSeconds, "s", "Age of the oldest unfinished parse job.");
    }
}

public readonly record struct ParseQueueSample(long Depth, double OldestAgeSeconds);
