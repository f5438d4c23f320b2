using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using Mnemo.Server.Accounts;
using Mnemo.Server.Errors;
using Mnemo.Server.Storage;

namespace Mnemo.Server.RateLimits;

/// <summary>
/// Counts each request of a tagged route against its budget (memories: per account; memic: per API
/// key), puts RateLimit-Limit/Remaining/Reset on every response of that route and answers
/// rate_limit_exceeded (429, Retry-After) when the window is full.
/// </summary>
public sealed class RateLimitMiddleware(RequestDelegate next, IRateLimitStore store, IOptionsMonitor<RateLimitOptions> options, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var caller = context.Features.Get<Caller>();
        var limited = RateLimitRules.Find(context, options.CurrentValue);
        if (caller is null || limited is not { } found)
        {
            await next(context);
            return;
        }

        var (rateLimitClass, surface, rule) = found;
        if (buckets.Count >= MaxBucketNames)
        {
            buckets.Clear(); // names only: every key or account ever seen must not stay in memory
        }

        var bucket = buckets.GetOrAdd((surface == Surface.Memic, surface == Surface.Memic ? caller.KeyId : caller.AccountId, rateLimitClass), NameOf);
        var decision = await store.AcquireAsync(bucket, rule, context.RequestAborted);
        var reset = SecondsUntil(decision.WindowEndsAt);
        SetHeadersOnStart(context, decision.Limit, decision.Remaining, reset);
        if (!decision.Allowed)
        {
            Hosting.MnemoMetrics.RateLimitRejections.Add(1, new("surface", surface.ToString()), new("class", rateLimitClass.ToString()));
            throw new ApiException(RateLimitRules.Exceeded(surface, reset));
        }

        await next(context);
    }

    // One name per budget, made once: the same strings every request would otherwise format.
    private const int MaxBucketNames = 10_000;
    private readonly ConcurrentDictionary<(bool Memic, Guid Owner, RateLimitClass Class), string> buckets = new();

    private static string NameOf((bool Memic, Guid Owner, RateLimitClass Class) budget) => budget.Memic
        ? $"memic:key:{budget.Owner}:{budget.Class}"
        : $"memories:account:{budget.Owner}:{budget.Class}";

    private int SecondsUntil(DateTime instant) =>
        Math.Max(1, (int)Math.Ceiling((instant - time.GetUtcNow().UtcDateTime).TotalSeconds));

    /// <summary>Set when the response starts, so an error rendered later (which clears headers) keeps them.</summary>
    public static void SetHeadersOnStart(HttpContext context, int limit, int remaining, int resetSeconds) =>
        context.Response.OnStarting(static state =>
        {
            var (context, limit, remaining, resetSeconds) = ((HttpContext, int, int, int))state;
            var headers = context.Response.Headers;
            headers["RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
            headers["RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
            headers["RateLimit-Reset"] = resetSeconds.ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }, (context, limit, remaining, resetSeconds));
}

public static class RateLimitRules
{
    /// <summary>The class, surface and rule that govern this request's endpoint; null when it is not limited.</summary>
    public static (RateLimitClass Class, Surface Surface, RateLimitRule Rule)? Find(HttpContext context, RateLimitOptions options)
    {
        if (!options.Enabled || context.GetEndpoint()?.Metadata.GetMetadata<RateLimitClassMetadata>() is not { } tag)
        {
            return null;
        }

        var surface = SurfacePaths.Of(context);
        var table = surface == Surface.Memic ? options.Memic : options.Memories;
        return table.TryGetValue(tag.Class, out var rule) && rule.Permits > 0 ? (tag.Class, surface, rule) : null;
    }

    /// <summary>The catalog's 429; memic's detail says how long to wait (CONTRACT.md, rate limits).</summary>
    public static ApiError Exceeded(Surface surface, int retryAfterSeconds) => new(ErrorCatalog.RateLimitExceeded,
        surface == Surface.Memic
            ? $"Rate limit exceeded. Retry after {retryAfterSeconds} seconds."
            : $"retry after {retryAfterSeconds} seconds")
    {
        RetryAfterSeconds = retryAfterSeconds,
    };
}

public static class RateLimitSetup
{
    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration("Mnemo:RateLimits");
        // On PostgreSQL every instance counts in one table; the embedded default counts in process.
        if (StoreSetup.UsesPostgres(builder.Configuration))
        {
            builder.Services.AddSingleton<IRateLimitStore, PostgresRateLimitStore>();
        }
        else
        {
            builder.Services.AddSingleton<IRateLimitStore, InMemoryRateLimitStore>();
        }
        return builder;
    }

    public static IApplicationBuilder UseRateLimits(this IApplicationBuilder app) => app.UseMiddleware<RateLimitMiddleware>();
}
