using System.Text;

namespace Mnemo.Server.Tests.Hostile;

/// <summary>
/// One request exactly as sent. Secrets are written as placeholders (<c>{key}</c>, <c>{admin}</c>) and
/// filled in at send time, so <see cref="Describe"/> is stable across runs and safe to paste.
/// </summary>
public sealed record HostileRequest(
    int Number,
    string Case,
    FuzzRoute Route,
    string Method,
    string PathAndQuery,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? ContentType,
    byte[]? Body)
{
    public const string KeyPlaceholder = "{key}";
    public const string AdminPlaceholder = "{admin}";

    public string? Header(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).LastOrDefault();

    public HttpRequestMessage ToMessage(Uri server, string key, string adminToken)
    {
        // Sent byte for byte: no dot-segment removal, no re-escaping of %2e or %2f.
        var uri = new Uri(server.GetLeftPart(UriPartial.Authority) + PathAndQuery,
            new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var message = new HttpRequestMessage(new HttpMethod(Method), uri);
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, Fill(value, key, adminToken));
        }

        // As curl does for a large body: ask first, so a 413 arrives before the bytes. Without it the server
        // answers 413 and closes mid-upload (Kestrel cannot drain a body over the limit), and the client
        // sees a broken pipe instead of the answer.
        message.Headers.ExpectContinue = Body is { Length: > 64 * 1024 };
        if (Body is not null || ContentType is not null)
        {
            message.Content = new ByteArrayContent(Body ?? []);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        return message;
    }

    private static string Fill(string value, string key, string adminToken) =>
        value.Replace(KeyPlaceholder, key, StringComparison.Ordinal).Replace(AdminPlaceholder, adminToken, StringComparison.Ordinal);

    /// <summary>What a developer needs to send it again: method, path, headers, the first bytes of the body.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append('#').Append(Number).Append(" [").Append(Case).Append("] on ").Append(Route).AppendLine();
        text.Append("  ").Append(Method).Append(' ').AppendLine(Shorten(PathAndQuery, 300));
        foreach (var (name, value) in Headers)
        {
            text.Append("  ").Append(name).Append(": ").AppendLine(Shorten(value, 200));
        }

        if (ContentType is not null)
        {
            text.Append("  Content-Type: ").AppendLine(ContentType);
        }

        if (Body is not null)
        {
            text.Append("  body (").Append(Body.Length).Append(" bytes): ").AppendLine(Printable(Body, 300));
        }

        return text.ToString();
    }

    private static string Shorten(string value, int max) =>
        value.Length <= max ? Printable(Encoding.UTF8.GetBytes(value), max) : Printable(Encoding.UTF8.GetBytes(value[..max]), max) + $"… ({value.Length} chars)";

    /// <summary>Printable ASCII as is, everything else as \xNN, so NULs and broken UTF-8 are visible.</summary>
    public static string Printable(byte[] bytes, int max)
    {
        var text = new StringBuilder();
        foreach (var b in bytes.Take(max))
        {
            if (b is >= 0x20 and < 0x7f && b != (byte)'\\')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append(b switch { (byte)'\n' => "\\n", (byte)'\r' => "\\r", (byte)'\\' => "\\\\", _ => $"\\x{b:x2}" });
            }
        }

        return bytes.Length > max ? text.Append('…').ToString() : text.ToString();
    }
}
