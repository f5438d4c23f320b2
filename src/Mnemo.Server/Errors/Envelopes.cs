using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mnemo.Server.Errors;

/// <summary>memories v1: <c>{"code":"0000","msg":"success","data":…,"success":true,"failed":false}</c>.</summary>
public sealed record V1Envelope<T>(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("data")] T? Data,
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("failed")] bool Failed);

/// <summary>memories v2: <c>{"code":200,"msg":"success","data":…,"success":true,"failed":false}</c>.</summary>
public sealed record V2Envelope<T>(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("data")] T? Data,
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("failed")] bool Failed);

public static class Envelope
{
    public static Ok<V1Envelope<T>> V1<T>(T data) => TypedResults.Ok(new V1Envelope<T>("0000", "success", data, true, false));

    public static Ok<V2Envelope<T>> V2<T>(T data) => TypedResults.Ok(new V2Envelope<T>(200, "success", data, true, false));
}
