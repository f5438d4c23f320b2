using System.Net.Http.Json;
using System.Text.Json;

namespace Mnemo.Server.Tests.Infrastructure;

public static class Json
{
    public static async Task<JsonElement> BodyAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldNotBeNullOrWhiteSpace($"{(int)response.StatusCode} with an empty body");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body);

    /// <summary>Asserts a memic error body and returns it.</summary>
    public static async Task<JsonElement> ShouldBeMemicErrorAsync(this HttpResponseMessage response, int status, string code)
    {
        ((int)response.StatusCode).ShouldBe(status);
        var body = await response.BodyAsync();
        body.Str("code").ShouldBe(code);
        body.Str("detail").ShouldNotBeNullOrWhiteSpace();
        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        body.Str("request_id").ShouldBe(requestId);
        return body;
    }

    /// <summary>Asserts a memories v1 error envelope.</summary>
    public static async Task<JsonElement> ShouldBeV1ErrorAsync(this HttpResponseMessage response, int status, string code, string msg)
    {
        ((int)response.StatusCode).ShouldBe(status);
        response.Headers.Contains("X-Request-Id").ShouldBeTrue();
        var body = await response.BodyAsync();
        body.Str("code").ShouldBe(code);
        body.Str("msg").ShouldStartWith(msg);
        body.GetProperty("data").ValueKind.ShouldBe(JsonValueKind.Null);
        body.GetProperty("success").GetBoolean().ShouldBeFalse();
        body.GetProperty("failed").GetBoolean().ShouldBeTrue();
        return body;
    }

    /// <summary>Asserts a memories v2 error envelope: code equals the HTTP status, msg exact.</summary>
    public static async Task<JsonElement> ShouldBeV2ErrorAsync(this HttpResponseMessage response, int status, string msg)
    {
        ((int)response.StatusCode).ShouldBe(status);
        response.Headers.Contains("X-Request-Id").ShouldBeTrue();
        var body = await response.BodyAsync();
        body.GetProperty("code").GetInt32().ShouldBe(status);
        body.Str("msg").ShouldBe(msg);
        body.GetProperty("data").ValueKind.ShouldBe(JsonValueKind.Null);
        body.GetProperty("success").GetBoolean().ShouldBeFalse();
        body.GetProperty("failed").GetBoolean().ShouldBeTrue();
        return body;
    }
}
