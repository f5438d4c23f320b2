using System.Text.Json;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Errors;

/// <summary>
/// The one place that turns failures into catalog errors: exceptions of every kind, and framework
/// answers that carry a status but no body (unknown route, wrong method, a failed binding).
/// </summary>
public sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the client left; nobody is there to answer
        }
        catch (Exception exception) when (!context.Response.HasStarted)
        {
            var error = Map(exception);
            if (error.Kind == ErrorCatalog.InternalError)
            {
                logger.LogError(exception, "Unhandled exception on {Method} {Path} (request {RequestId})",
                    context.Request.Method, context.Request.Path, context.TraceIdentifier);
            }
            else if (error.Kind == ErrorCatalog.ServiceUnavailable)
            {
                logger.LogWarning(exception, "Dependency unavailable on {Method} {Path} (request {RequestId})",
                    context.Request.Method, context.Request.Path, context.TraceIdentifier);
            }

            ResetResponse(context);
            await ErrorWriter.WriteAsync(context, error);
            return;
        }

        if (context.Response is { HasStarted: false, StatusCode: >= 400 } response && !HasBody(response))
        {
            var kind = ErrorCatalog.ForStatus(response.StatusCode);
            var retryAfter = kind == ErrorCatalog.ServiceUnavailable ? 5 : (int?)null;
            await ErrorWriter.WriteAsync(context, new ApiError(kind) { RetryAfterSeconds = retryAfter });
        }
    }

    private static bool HasBody(HttpResponse response) =>
        response.ContentLength > 0 || !string.IsNullOrEmpty(response.ContentType);

    private static void ResetResponse(HttpContext context)
    {
        // Keep only what the error rendering needs; headers of the failed attempt must not leak.
        var allow = context.Response.Headers.Allow;
        context.Response.Clear();
        if (!string.IsNullOrEmpty(allow))
        {
            context.Response.Headers.Allow = allow;
        }
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
}
