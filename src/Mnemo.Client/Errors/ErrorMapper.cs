using System.Net;
using System.Text.Json;

namespace Mnemo.Client;

/// <summary>Turns an error response of any surface into the one exception type and its subclass.</summary>
internal static class ErrorMapper
{
    private const int MaxShownBody = 300;

    /// <summary>memic <c>code</c> values that differ from the catalog name.</summary>
    private static readonly Dictionary<string, string> MemicCodes = new(StringComparer.Ordinal)
    {
        ["file_not_found"] = "asset_not_found",
        ["unprocessable_entity"] = "unprocessable",
        ["not_found"] = "route_not_found",
        ["invalid_file_type"] = "unsupported_media_type",
    };

    /// <summary>memories <c>msg</c> (v1: before the colon) to catalog name; ambiguous ones take the commonest.</summary>
    private static readonly Dictionary<string, string> MemoriesMessages = new(StringComparer.Ordinal)
    {
        ["Invalid request parameters"] = "invalid_request",
        ["Unauthorized"] = "invalid_api_key",
        ["Insufficient balance or credits"] = "insufficient_credits",
        ["Forbidden"] = "forbidden",
        ["Asset not found"] = "asset_not_found",
        ["Prompt not found"] = "prompt_not_found",
        ["Not found"] = "route_not_found",
        ["Method not allowed"] = "method_not_allowed",
        ["Request conflict or duplicate request"] = "duplicate_request",
        ["File is still processing"] = "file_still_processing",
        ["File too large"] = "file_too_large",
        ["Unsupported media type"] = "unsupported_media_type",
        ["Rate limit exceeded"] = "rate_limit_exceeded",
        ["Internal server error"] = "internal_error",
        ["Service unavailable"] = "service_unavailable",
    };

    public static MnemoApiException Map(HttpResponseMessage response, string body)
    {
        var status = response.StatusCode;
        var headerId = response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.FirstOrDefault() : null;
        var (name, message, bodyId) = Parse(body);
        var requestId = headerId ?? bodyId;
        if (message is null)
        {
            var shown = body.Length == 0 ? "an empty body"
                : "a body that is not a Mnemo error: " + (body.Length > MaxShownBody ? body[..MaxShownBody] + "…" : body);
            message = $"HTTP {(int)status} ({response.ReasonPhrase}) from {response.RequestMessage?.RequestUri} with {shown}";
        }

        var retryAfter = RetryAfter(response);
        return (name, (int)status) switch
        {
            ("invalid_api_key", _) or (null, 401) => new AuthenticationException(status, name, message, requestId, body),
            ("account_disabled" or "ip_not_allowed" or "forbidden", _) or (null, 403) => new PermissionException(status, name, message, requestId, body),
            ("insufficient_credits", _) or (null, 402) => new InsufficientCreditsException(status, name, message, requestId, body),
            ("asset_not_found" or "prompt_not_found" or "route_not_found", _) or (null, 404) => new NotFoundException(status, name, message, requestId, body),
            ("duplicate_request" or "file_still_processing", _) or (null, 409) => new ConflictException(status, name, message, requestId, body),
            ("rate_limit_exceeded", _) or (null, 429) => new RateLimitException(status, name, message, requestId, body, retryAfter),
            (_, >= 500) => new ServerException(status, name, message, requestId, body),
            _ => new MnemoApiException(status, name, message, requestId, body),
        };
    }

    /// <summary>The server's <c>Retry-After</c>, in seconds or as a date.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? Max(date - DateTimeOffset.UtcNow, TimeSpan.Zero) : null;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static (string? Name, string? Message, string? RequestId) Parse(string body)
    {
        if (body.Length == 0 || body[0] != '{')
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            // memic: {"detail","code","request_id"}
            if (root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String
                && root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String)
            {
                var memicCode = code.GetString()!;
                var requestId = root.TryGetProperty("request_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
                return (MemicCodes.GetValueOrDefault(memicCode, memicCode), detail.GetString(), requestId);
            }

            // memories v1/v2: {"code","msg","data":null,"success":false,"failed":true}
            if (root.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String)
            {
                var text = msg.GetString()!;
                var colon = text.IndexOf(':', StringComparison.Ordinal);
                var head = colon > 0 ? text[..colon] : text;
                return (MemoriesMessages.GetValueOrDefault(head), text, null);
            }
        }
        catch (JsonException)
        {
        }

        return default;
    }
}
