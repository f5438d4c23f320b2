using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Errors;

/// <summary>
/// The one place that turns failures into catalog errors, on the framework's two hooks: every
/// exception (<see cref="IExceptionHandler"/> under UseExceptionHandler), and every answer that carries
/// an error status but no body (unknown route, wrong method, a failed binding) under UseStatusCodePages.
/// </summary>
public sealed partial class CatalogErrors(ILogger<CatalogErrors> logger) : IExceptionHandler
{
    public static void Use(IApplicationBuilder app)
    {
        app.UseExceptionHandler(_ => { }); // the handler below answers every exception; this pipeline never runs
        app.UseStatusCodePages(context =>
        {
            var kind = ErrorCatalog.ForStatus(context.HttpContext.Response.StatusCode);
            var retryAfter = kind == ErrorCatalog.ServiceUnavailable ? 5 : (int?)null;
            return ErrorWriter.WriteAsync(context.HttpContext, new ApiError(kind) { RetryAfterSeconds = retryAfter });
        });
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var error = Map(exception);
        if (error.Kind == ErrorCatalog.InternalError)
        {
            Unhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path, httpContext.TraceIdentifier);
        }
        else if (error.Kind == ErrorCatalog.ServiceUnavailable)
        {
            Unavailable(logger, exception, httpContext.Request.Method, httpContext.Request.Path, httpContext.TraceIdentifier);
        }

        await ErrorWriter.WriteAsync(httpContext, error);
        return true;
    }

    public static ApiError Map(Exception exception) => exception switch
    {
        ApiException api => api.Error,
        BadHttpRequestException bad => FromBadRequest(bad),
        JsonException json => ApiError.InvalidRequest(JsonDetail(json)),
        // The form reader's answer to a malformed form body (e.g. multipart without a boundary).
        InvalidDataException invalid => ApiError.InvalidRequest($"The form body is malformed: {invalid.Message}"),
        _ when StoreFailures.IsRejectedValue(exception) =>
            ApiError.InvalidRequest("A text value contains a NUL character or is too long to store or search."),
        // Kestrel's answer to broken framing (a bad chunk), wrapped by a reader on the way: still the client's error.
        _ when Inner<BadHttpRequestException>(exception) is { } bad => FromBadRequest(bad),
        // The v1 msg is "<catalog msg>: <detail>", so the detail does not repeat "Service unavailable".
        _ when StoreFailures.IsUnavailable(exception) =>
            ApiError.Unavailable("A dependency (database or file store) is down. Retry shortly."),
        _ => new ApiError(ErrorCatalog.InternalError),
    };

    private static T? Inner<T>(Exception exception) where T : Exception
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static ApiError FromBadRequest(BadHttpRequestException bad)
    {
        var kind = ErrorCatalog.ForStatus(bad.StatusCode);
        if (kind == ErrorCatalog.FileTooLarge)
        {
            return new ApiError(kind, "Request body too large for this route.");
        }

        if (kind == ErrorCatalog.UnsupportedMediaType)
        {
            return new ApiError(kind, "Unsupported Content-Type for this route.");
        }

        var detail = bad.InnerException is JsonException json ? JsonDetail(json)
            // The framework's words for an empty body speak to the endpoint's author ("Did you mean to use a Service instead?").
            : bad.Message.Contains("no body was provided", StringComparison.Ordinal) ? "A JSON request body is required."
            : bad.Message;
        return new ApiError(kind, detail);
    }

    private static string JsonDetail(JsonException json) => json.Path switch
    {
        { Length: > 0 } path when json.Message.Contains("could not be converted", StringComparison.Ordinal) =>
            $"The value at {path} has the wrong type for this route.",
        { Length: > 0 } path => $"Request body is not valid JSON for this route (at {path}).",
        _ => "Request body is not valid JSON.",
    };

    [LoggerMessage(LogLevel.Error, "Unhandled exception on {Method} {Path} (request {RequestId})")]
    private static partial void Unhandled(ILogger logger, Exception exception, string method, PathString path, string requestId);

    [LoggerMessage(LogLevel.Warning, "Dependency unavailable on {Method} {Path} (request {RequestId})")]
    private static partial void Unavailable(ILogger logger, Exception exception, string method, PathString path, string requestId);
}
