using System.Diagnostics;

namespace Mnemo.Server.Hosting;

/// <summary>
/// One line per request, when it has been answered: method, path, status and duration, at Information
/// under this category. It replaces hosting's two lines (request starting, request finished), which
/// cost twice the formatting and output. Like every line of a request it carries the RequestId (the
/// hosting scope); <c>Logging:LogLevel:Mnemo.Server.Hosting.AccessLog=Warning</c> switches it off.
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
                var request = context.Request;
                Answered(logger, request.Method, request.Path.Value, request.QueryString.Value, context.Response.StatusCode,
                    Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3));
            }
        });
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "{Method} {Path}{QueryString} answered {StatusCode} in {ElapsedMilliseconds} ms")]
    private static partial void Answered(ILogger logger, string method, string? path, string? queryString, int statusCode, double elapsedMilliseconds);
}
