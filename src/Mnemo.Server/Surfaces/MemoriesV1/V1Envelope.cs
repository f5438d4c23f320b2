using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Mnemo.Server.Errors;

namespace Mnemo.Server.Surfaces.MemoriesV1;

/// <summary>memories v1: <c>{"code":"0000","msg":"success","data":…,"success":true,"failed":false}</c>.</summary>
public sealed record V1Envelope<T>(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("data")] T? Data,
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("failed")] bool Failed);

public static class V1Envelope
{
    public static Ok<V1Envelope<T>> Success<T>(T data) => TypedResults.Ok(new V1Envelope<T>("0000", "success", data, true, false));

    /// <summary>An error: the catalog's v1 code, its message with the detail after a colon, data null.</summary>
    public static object Error(ApiError error, int status, string requestId) => new V1Envelope<object>(
        error.Kind.V1Code,
        error.Detail is null ? error.Kind.Msg : $"{error.Kind.Msg}: {error.Detail}",
        null, false, true);
}
