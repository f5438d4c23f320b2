using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Mnemo.Server.Errors;

namespace Mnemo.Server.Hosting;

/// <summary>
/// A JSON body declared in a charset .NET does not know makes the framework's JSON reader throw
/// InvalidOperationException, a 500; it is the request's Content-Type that is wrong (415). A quoted
/// charset (<c>charset="UTF-8"</c>, which HTTP allows) is unquoted first, which that reader does not do.
/// </summary>
public static class JsonCharset
{
    public static IApplicationBuilder UseJsonCharset(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var request = context.Request;
        if (request.ContentType is not { } contentType
            || contentType.IndexOf("charset", StringComparison.OrdinalIgnoreCase) < 0
            || context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false }
            || !MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !(mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            return next(context);
        }

        var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset).Value ?? "";
        if (!IsKnown(charset))
        {
            var shown = charset.Length > 40 ? charset[..40] + "…" : charset;
            throw new ApiException(new ApiError(ErrorCatalog.UnsupportedMediaType, $"The charset '{shown}' is unknown: send JSON as UTF-8."));
        }

        if (charset.Length != mediaType.Charset.Length)
        {
            mediaType.Charset = charset;
            request.ContentType = mediaType.ToString();
        }

        return next(context);
    });

    private static bool IsKnown(string charset)
    {
        if (charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        try
        {
            return charset.Length > 0 && Encoding.GetEncoding(charset) is not null;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
