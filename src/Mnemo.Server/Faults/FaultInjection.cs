using Microsoft.Extensions.Options;
using Mnemo.Server.Accounts;
using Mnemo.Server.Errors;
using Mnemo.Server.RateLimits;

namespace Mnemo.Server.Faults;

/// <summary>
/// Right after the API-key check, before idempotency, rate limiting and any side effect: a key with a
/// fault profile fails at its rate with one of its catalog errors. Keys without a profile never do.
/// </summary>
public sealed partial class FaultInjectionMiddleware(
    RequestDelegate next, FaultInjector injector, IOptionsMonitor<RateLimitOptions> rateLimits, ILogger<FaultInjectionMiddleware> logger)
{
    public const int RetryAfterSeconds = 1;
    public const string InjectedHeader = "Mnemo-Injected-Fault";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<Caller>() is not { } caller || await injector.DrawAsync(caller.KeyId, context) is not { } kind)
        {
            await next(context);
            return;
        }

        await FailAsync(context, caller, kind);
    }

    private async Task FailAsync(HttpContext context, Caller caller, ErrorKind kind)
    {
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[InjectedHeader] = kind.Name;
            return Task.CompletedTask;
        });
        if (kind == ErrorCatalog.RateLimitExceeded && RateLimitRules.Find(context, rateLimits.CurrentValue) is { } limited)
        {
            RateLimitMiddleware.SetHeadersOnStart(context, limited.Rule.Permits, 0, RetryAfterSeconds);
        }

        // Written here rather than thrown: an injected 500 or 503 is not a bug or an outage to log as one.
        Injected(logger, kind.Name, caller.KeyId);
        var error = kind == ErrorCatalog.RateLimitExceeded
            ? RateLimitRules.Exceeded(SurfacePaths.Of(context), RetryAfterSeconds)
            : new ApiError(kind) { RetryAfterSeconds = kind == ErrorCatalog.ServiceUnavailable ? RetryAfterSeconds : null };
        await ErrorWriter.WriteAsync(context, error);
    }

    [LoggerMessage(LogLevel.Information, "Injected fault {Error} for API key {KeyId}")]
    private static partial void Injected(ILogger logger, string error, Guid keyId);
}
