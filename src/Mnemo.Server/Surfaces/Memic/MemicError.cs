using System.Text.Json.Serialization;
using Mnemo.Server.Errors;

namespace Mnemo.Server.Surfaces.Memic;

/// <summary>memic's error body (also the admin routes' and any path outside the three surfaces).</summary>
public sealed record MemicError(
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("request_id")] string RequestId)
{
    public static object Of(ApiError error, int status, string requestId) =>
        new MemicError(error.Detail ?? error.Kind.Msg, error.Kind.MemicCode, requestId);
}
