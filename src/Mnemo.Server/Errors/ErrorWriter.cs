using System.Globalization;
using System.Text.Json;

namespace Mnemo.Server.Errors;

/// <summary>Renders one catalog error in the envelope of the surface the request is on.</summary>
public static class ErrorWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The same name as Hosting's <c>RequestIds.Header</c>; Errors sits below Hosting and does not name it.</summary>
    private const string RequestIdHeader = "X-Request-Id";

    public static Task WriteAsync(HttpContext context, ApiError error)
    {
        var surface = SurfacePaths.Of(context);
        var kind = error.Kind;
        var response = context.Response;
        var status = kind.StatusOn(surface);

        response.StatusCode = status;
        response.Headers[RequestIdHeader] = context.TraceIdentifier;
        if (error.RetryAfterSeconds is { } retryAfter)
        {
            response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        }

        response.Headers.CacheControl = "no-store";
        object body = surface switch
        {
            Surface.MemoriesV1 => new V1Envelope<object>(
                kind.V1Code,
                error.Detail is null ? kind.Msg : $"{kind.Msg}: {error.Detail}",
                null, false, true),
            Surface.MemoriesV2 => new V2Envelope<object>(status, kind.Msg, null, false, true),
            _ => new MemicError(
                error.Detail ?? kind.Msg,
                kind.MemicCode,
                context.TraceIdentifier),
        };
        return response.WriteAsJsonAsync(body, body.GetType(), Json, "application/json; charset=utf-8", context.RequestAborted);
    }
}
