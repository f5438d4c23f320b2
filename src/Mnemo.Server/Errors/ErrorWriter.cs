using System.Globalization;
using System.Text.Json;

namespace Mnemo.Server.Errors;

/// <summary>
/// One error's body in one surface's envelope. Each surface registers its own at composition, keyed by its
/// <see cref="Surface"/> (<c>AddKeyedSingleton&lt;ErrorBody&gt;</c>), so this folder names none of them.
/// </summary>
public delegate object ErrorBody(ApiError error, int status, string requestId);

/// <summary>Renders one catalog error in the envelope of the surface the request is on.</summary>
public static class ErrorWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The same name as Hosting's <c>RequestIds.Header</c>; Errors sits below Hosting and does not name it.</summary>
    private const string RequestIdHeader = "X-Request-Id";

    public static Task WriteAsync(HttpContext context, ApiError error)
    {
        var surface = SurfacePaths.Of(context);
        var response = context.Response;
        var status = error.Kind.StatusOn(surface);

        response.StatusCode = status;
        response.Headers[RequestIdHeader] = context.TraceIdentifier;
        if (error.RetryAfterSeconds is { } retryAfter)
        {
            response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        }

        response.Headers.CacheControl = "no-store";
        var body = context.RequestServices.GetRequiredKeyedService<ErrorBody>(surface)(error, status, context.TraceIdentifier);
        return response.WriteAsJsonAsync(body, body.GetType(), Json, "application/json; charset=utf-8", context.RequestAborted);
    }
}
