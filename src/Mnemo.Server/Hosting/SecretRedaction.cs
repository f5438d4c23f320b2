using System.Text.RegularExpressions;

namespace Mnemo.Server.Hosting;

/// <summary>
/// What must never reach a log line: an API key (its readable prefix, <c>sk-mnemo-</c> and 8 characters, stays,
/// so an operator can tell keys apart), the value of a credential-like query parameter (api_key, key, token,
/// secret, password, signature...), and a signed upload URL's token (the URL is the credential).
/// </summary>
public static partial class SecretRedaction
{
    public const string Mark = "[redacted]";

    // Each alternative leads with a literal (or a short set), so a line without any is passed over quickly;
    // the group "secret" is what is replaced.
    [GeneratedRegex(
        @"sk-mnemo-[A-Za-z0-9_-]{8}(?<secret>[A-Za-z0-9_-]+)"
        + @"|[?&;](?:[A-Za-z0-9_.-]*(?:key|token|secret|password|passwd|signature)|sig|auth|code)=(?<secret>[^&#\s""']+)"
        + @"|/uploads/(?<secret>[A-Za-z0-9_-]{16,})",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Secret();

    public static bool IsNeeded(string text) => Secret().IsMatch(text);

    public static string Redact(string text) => Secret().Replace(text, static match =>
    {
        var secret = match.Groups["secret"];
        return string.Concat(match.ValueSpan[..(secret.Index - match.Index)], Mark);
    });

    /// <summary>A logged value that may hold a secret: text, or an object whose text is not a number or a date.</summary>
    public static bool IsNeeded(object? value) => value switch
    {
        null or IFormattable or bool => false,
        string text => IsNeeded(text),
        _ => value.ToString() is { } text && IsNeeded(text),
    };

    public static object? Redact(object? value) => value switch
    {
        null or IFormattable or bool => value,
        string text => Redact(text),
        _ => value.ToString() is { } text ? Redact(text) : null,
    };
}
