using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mnemo.Server.Tests.Hostile;

/// <summary>One answer, as seen on the wire.</summary>
public sealed record HostileResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// What every answer must be: no 5xx, an X-Request-Id, and for an error the envelope of the surface the
/// server routed the request to (after Kestrel decoded %2e and removed dot segments, as the server sees it).
/// </summary>
public static partial class EnvelopeCheck
{
    [GeneratedRegex("^[0-9]{4}$")]
    private static partial Regex V1Code();

    public static string? Problem(HostileRequest request, HostileResponse response)
    {
        if (response.Status >= 500)
        {
            return $"{response.Status}: a hostile request must never be a server error";
        }

        if (string.IsNullOrEmpty(response.Header("X-Request-Id")))
        {
            return "no X-Request-Id header";
        }

        if (response.Status < 400)
        {
            return null;
        }

        if (response.Status == 405 && string.IsNullOrEmpty(response.Header("Allow")))
        {
            return "405 without an Allow header";
        }

        if (response.Status == 429 && string.IsNullOrEmpty(response.Header("Retry-After")))
        {
            return "429 without Retry-After";
        }

        if (request.Method == "HEAD")
        {
            return null; // no body on HEAD, by HTTP
        }

        JsonElement body;
        try
        {
            body = JsonDocument.Parse(response.Body).RootElement;
        }
        catch (JsonException)
        {
            return "error body is not JSON";
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return "error body is not a JSON object";
        }

        return SurfaceOf(request.PathAndQuery) switch
        {
            FuzzSurface.MemoriesV1 => V1(body),
            FuzzSurface.MemoriesV2 => V2(body, response.Status),
            _ => Memic(body, response.Header("X-Request-Id")!),
        };
    }

    /// <summary>
    /// Kestrel refuses a request target with a NUL (%00) itself: 400, no body, connection closed, before
    /// any application code runs, so no middleware can add an envelope or an id. That answer is allowed,
    /// for that request only (docs/security.md).
    /// </summary>
    public static bool IsKestrelRejection(HostileRequest request, HostileResponse response) =>
        response is { Status: 400, Body.Length: 0 } && response.Header("X-Request-Id") is null
        && request.PathAndQuery.Split('?')[0].Contains("%00", StringComparison.Ordinal);

    private static string? V1(JsonElement body) =>
        body.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String && V1Code().IsMatch(code.GetString()!) && code.GetString() != "0000"
        && body.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String && msg.GetString()!.Length > 0
        && body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Null
        && body.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.False
        && body.TryGetProperty("failed", out var failed) && failed.ValueKind == JsonValueKind.True
            ? null
            : "not the memories v1 error envelope {code:\"0xxx\",msg,data:null,success:false,failed:true}";

    private static string? V2(JsonElement body, int status) =>
        body.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number && code.GetInt32() == status
        && body.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String && msg.GetString()!.Length > 0
        && body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Null
        && body.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.False
        && body.TryGetProperty("failed", out var failed) && failed.ValueKind == JsonValueKind.True
            ? null
            : "not the memories v2 error envelope {code:<HTTP status>,msg,data:null,success:false,failed:true}";

    private static string? Memic(JsonElement body, string requestId) =>
        body.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String && detail.GetString()!.Length > 0
        && body.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String && code.GetString()!.Length > 0
        && body.TryGetProperty("request_id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == requestId
            ? null
            : "not the memic error envelope {detail,code,request_id = X-Request-Id}";

    /// <summary>The surface of the path the server routes: %2e decoded and dot segments removed, as Kestrel does.</summary>
    public static FuzzSurface SurfaceOf(string pathAndQuery)
    {
        var path = pathAndQuery.Split('?')[0].Replace("%2e", ".", StringComparison.OrdinalIgnoreCase);
        var segments = new List<string>();
        foreach (var segment in path.Split('/').Skip(1))
        {
            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }
            }
            else if (segment != ".")
            {
                segments.Add(segment);
            }
        }

        var normal = "/" + string.Join('/', segments);
        bool Under(string prefix) => normal == prefix || normal.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase);
        return Under("/serve/api/v1") || Under("/serve/api/video") ? FuzzSurface.MemoriesV1
            : Under("/serve/api/v2") ? FuzzSurface.MemoriesV2
            : FuzzSurface.Memic;
    }
}
