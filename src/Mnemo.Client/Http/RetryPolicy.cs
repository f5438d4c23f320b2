using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Mnemo.Client.Http;

/// <summary>
/// What is retried and how long to wait: transport errors, attempts that timed out (not the caller's
/// cancellation), 408, 429, 500, 502, 503, 504; never another 4xx. The wait is the server's
/// <c>Retry-After</c> when it gives one, else full jitter: random in [0, min(cap, base·2^retry)).
/// </summary>
internal static class RetryPolicy
{
    public static bool IsTransient(HttpStatusCode status) => (int)status is 408 or 429 or 500 or 502 or 503 or 504;

    public static ResiliencePipeline<HttpResponseMessage> Build(MnemoClientOptions options, TimeSpan attemptTimeout)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, options)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Delay(args.Outcome, args.AttemptNumber, options)),
            });
        }

        return builder.AddTimeout(attemptTimeout).Build();
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, MnemoClientOptions options) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => IsTransient(response.StatusCode)
            && !(ErrorMapper.RetryAfter(response) is { } hint && hint > options.MaxRetryAfter),
        _ => false,
    };

    internal static TimeSpan Delay(Outcome<HttpResponseMessage> outcome, int retry, MnemoClientOptions options)
    {
        if (outcome.Result is { } response && ErrorMapper.RetryAfter(response) is { } hint)
        {
            return hint;
        }

        var ceiling = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry, 30));
        ceiling = Math.Min(ceiling, options.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }
}
