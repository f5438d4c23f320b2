using Microsoft.Extensions.Options;
using Mnemo.Server.Accounts;
using Mnemo.Server.Errors;
using Mnemo.Server.RateLimits;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Faults;

/// <summary>
/// Right after the API-key check, before idempotency, rate limiting and any side effect: a key with a
/// fault profile fails at its rate with one of its catalog errors. Keys without a profile never do.
/// </summary>
public sealed class FaultInjectionMiddleware(RequestDelegate next, FaultInjector injector, IOptionsMonitor<RateLimitOptions> rateLimits)
{
    public const int RetryAfterSeconds = 1;
    public const string InjectedHeader = "Mnemo-Injected-Fault";

    public async Task InvokeAsync(HttpContext context, MnemoDb db)
    {
        if (context.Features.Get<Caller>() is not { } caller
            || await injector.DrawAsync(caller.KeyId, db, context.RequestAborted) is not { } kind)
        {
            await next(context);
            return;
        }

        context.Response.OnStarting(() =>
        {
            context.Response.Headers[InjectedHeader] = kind.Name;
            return Task.CompletedTask;
        });
        if (kind == ErrorCatalog.RateLimitExceeded)
        {
            var limited = RateLimitRules.Find(context, rateLimits.CurrentValue);
            if (limited is { } found)
            {
                RateLimitMiddleware.SetHeadersOnStart(context, found.Rule.Permits, 0, RetryAfterSeconds);
            }

            throw new ApiException(RateLimitRules.Exceeded(SurfacePaths.Of(context), RetryAfterSeconds));
        }

        var retryAfter = kind == ErrorCatalog.ServiceUnavailable ? RetryAfterSeconds : (int?)null;
        throw new ApiException(new ApiError(kind) { RetryAfterSeconds = retryAfter });
    }
}
