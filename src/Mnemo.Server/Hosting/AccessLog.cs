using System.Diagnostics;
using Mnemo.Server.RateLimits;

namespace Mnemo.Server.Hosting;

/// <summary>
/// One line per request, once it is answered: method, path, status and duration, under this category.
/// It replaces hosting's two lines (request starting, request finished). Like every line of a request it
/// carries the RequestId (the hosting scope). Successful status polls (the status rate-limit class: up to
/// 5 a second per account, most of the traffic) and health probes are logged at Debug, everything else at
/// Information, so the default level leaves them out: a JSON line per poll costs about a third of the
/// polling throughput (docs/benchmarks.md). <c>Logging:LogLevel:Mnemo.Server.Hosting.AccessLog</c>:
/// Debug logs every request, Warning none.
/// </summary>
public static partial class AccessLog
{
    public const string Category = "Mnemo.Server.Hosting.AccessLog";

    public static IApplicationBuilder UseAccessLog(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        return app.Use(async (context, next) =>
        {
            if (!logger.IsEnabled(LogLevel.Information))
            {
                await next(context);
                return;
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var status = context.Response.StatusCode;
                var level = status < 400 && IsPoll(context) ? LogLevel.Debug : LogLevel.Information;
                if (logger.IsEnabled(level))
                {
                    var request = context.Request;
                    var elapsed = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3);
                    Answered(logger, level, request.Method, request.Path.Value, request.QueryString.Value, status, elapsed);
                }
            }
        });
    }

    /// <summary>Endpoint metadata: logged at Debug when it succeeds. A probe (/healthz, /readyz), or one of the console's files.</summary>
    public sealed record Probe;

    private static bool IsPoll(HttpContext context) => context.GetEndpoint()?.Metadata is { } metadata
        && (metadata.GetMetadata<RateLimitClassMetadata>() is { Class: RateLimitClass.Status } || metadata.GetMetadata<Probe>() is not null);

    [LoggerMessage(EventId = 1, Message = "{Method} {Path}{QueryString} answered {StatusCode} in {ElapsedMilliseconds} ms")]
    private static partial void Answered(
        ILogger logger, LogLevel level, string method, string? path, string? queryString, int statusCode, double elapsedMilliseconds);
}
