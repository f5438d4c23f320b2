using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Mnemo.Server.Errors;

namespace Mnemo.Server.Surfaces.MemoriesV2;

/// <summary>memories v2: <c>{"code":200,"msg":"success","data":…,"success":true,"failed":false}</c>.</summary>
public sealed record V2Envelope<T>(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("data")] T? Data,
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("failed")] bool Failed);

public static class V2Envelope
{
    public static Ok<V2Envelope<T>> Success<T>(T data) => TypedResults.Ok(new V2Envelope<T>(200, "success", data, true, false));

    /// <summary>An error: code equals the HTTP status, the catalog's message exactly, data null.</summary>
    public static object Error(ApiError error, int status, string requestId) => new V2Envelope<object>(status, error.Kind.Msg, null, false, true);
}
