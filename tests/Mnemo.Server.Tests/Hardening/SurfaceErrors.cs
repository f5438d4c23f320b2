using System.Text.Json;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Hardening;

/// <summary>Asserts a catalog error in the envelope of the surface a path belongs to.</summary>
public static class SurfaceErrors
{
    private static readonly Dictionary<string, (int Status, string V1Code, string Msg)> Kinds = new()
    {
        ["invalid_request"] = (400, "0001", "Invalid request parameters"),
        ["file_too_large"] = (413, "0413", "File too large"),
        ["unsupported_media_type"] = (415, "0415", "Unsupported media type"),
    };

    /// <returns>The error's detail, or null on memories v2, whose msg is the catalog's alone.</returns>
    public static async Task<string?> ShouldBeErrorOnAsync(this HttpResponseMessage response, string path, string kind)
    {
        var (status, v1Code, msg) = Kinds[kind];
        response.Headers.GetValues("X-Request-Id").Single().ShouldNotBeNullOrEmpty();
        JsonElement body;
        if (path.StartsWith("/serve/api/v1/", StringComparison.Ordinal) || path.StartsWith("/serve/api/video/", StringComparison.Ordinal))
        {
            body = await response.ShouldBeV1ErrorAsync(status, v1Code, msg);
            return body.Str("msg");
        }

        if (path.StartsWith("/serve/api/v2/", StringComparison.Ordinal))
        {
            await response.ShouldBeV2ErrorAsync(status, msg);
            return null;
        }

        body = await response.ShouldBeMemicErrorAsync(status, kind);
        return body.Str("detail");
    }
}
