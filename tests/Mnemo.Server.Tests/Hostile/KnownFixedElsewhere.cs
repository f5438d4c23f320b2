using System.Text.Json;

namespace Mnemo.Server.Tests.Hostile;

/// <summary>
/// Defects the suite finds that another branch of issue 17 fixes. A response matching one is reported
/// but does not fail the pass. Remove each entry when its fix is merged: the suite then proves the fix
/// on every route, and the report says which entries no longer match anything.
/// </summary>
public static class KnownFixedElsewhere
{
    public sealed record Known(string Name, Func<HostileRequest, HostileResponse, bool, bool> Matches);

    public static readonly Known[] Defects =
    [
        // Any charset Encoding.GetEncoding does not know, a quoted "utf-8" included (a legal quoted-string).
        new("Content-Type charset=bogus on a JSON route answers 500",
            (request, response, _) => response.Status == 500 && HasUnknownCharset(request.ContentType)),
        new("the same X-Request-Id twice on a paid route answers 500",
            (_, response, requestIdSeenBefore) => response.Status == 500 && requestIdSeenBefore),
        new("variables: [null] on memic POST /prompts answers 500",
            (request, response, _) => response.Status == 500 && request.Method == "POST"
                && request.PathAndQuery.Split('?')[0].EndsWith("/prompts", StringComparison.Ordinal) && HasNullVariable(request.Body)),
        new("v1 upload_url answers 503 for malformed multipart",
            (request, response, _) => response.Status == 503 && request.PathAndQuery.Contains("/upload_url", StringComparison.Ordinal)
                && request.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true),
    ];

    private static bool HasUnknownCharset(string? contentType)
    {
        var charset = contentType?.Split(';').Select(p => p.Trim())
            .FirstOrDefault(p => p.StartsWith("charset=", StringComparison.OrdinalIgnoreCase))?["charset=".Length..];
        if (charset is null)
        {
            return false;
        }

        try
        {
            System.Text.Encoding.GetEncoding(charset);
            return false;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static bool HasNullVariable(byte[]? body)
    {
        try
        {
            using var document = JsonDocument.Parse(body ?? []);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("variables", out var variables)
                && variables.ValueKind == JsonValueKind.Array
                && variables.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.Null);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
