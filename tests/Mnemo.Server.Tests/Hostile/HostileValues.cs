namespace Mnemo.Server.Tests.Hostile;

/// <summary>The raw material: strings, numbers, JSON texts and headers that servers classically choke on.</summary>
public static class HostileValues
{
    public const int Megabyte = 1_000_000;

    /// <summary>Strings for ids, names, file names and text fields (sent JSON-escaped, form-encoded or URL-escaped).</summary>
    public static readonly string[] Strings =
    [
        "", " ", "\0", "a\0b", "../../etc/passwd", "..\\..\\windows\\win.ini", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/etc/passwd", "file:///etc/passwd", "....//....//etc/passwd", "😀🎉 naïve café 日本語", "\u202Egnp.exe",
        "\uFEFFbom", "\u0001\u001f\u007f", "' OR 1=1 --", "\"; DROP TABLE assets; --", "<script>alert(1)</script>",
        "{{x}}{{", "${jndi:ldap://127.0.0.1/a}", "%s%n%x%d", "VI-1", "VI99999999999999999999", "re_0", "re_-1",
        "00000000-0000-0000-0000-000000000000", "NaN", "-1", "1e309", "null", "true", "\t\r\n", "\\", "\"",
        new string('a', 10_000), new string('é', 5_000),
    ];

    /// <summary>JSON tokens written verbatim: numbers at and past every integer width, and a few non-numbers.</summary>
    public static readonly string[] Numbers =
    [
        "0", "-1", "-0", "0.5", "1.0", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "123456789012345678901234567890", "1e308", "1e309", "-1e309", "1e-400", "4.9e-324",
    ];

    /// <summary>A value of another JSON type than the schema asks for.</summary>
    public static readonly string[] WrongTypes = ["true", "\"1\"", "[]", "{}", "[null]", "{\"$ref\":\"#\"}", "\"\"", "12"];

    /// <summary>Bodies that are not JSON, or are JSON of the wrong shape.</summary>
    public static readonly (string Name, byte[] Bytes)[] JsonTexts =
    [
        ("open brace", "{"u8.ToArray()),
        ("dangling key", "{\"a\":"u8.ToArray()),
        ("close brace", "}"u8.ToArray()),
        ("trailing comma", "{\"a\":1,}"u8.ToArray()),
        ("comment", "// hi\n{}"u8.ToArray()),
        ("single quotes", "{'a':'b'}"u8.ToArray()),
        ("bare word", "nul"u8.ToArray()),
        ("NaN literal", "{\"a\":NaN}"u8.ToArray()),
        ("null", "null"u8.ToArray()),
        ("array", "[]"u8.ToArray()),
        ("array of nulls", "[null,null]"u8.ToArray()),
        ("string", "\"str\""u8.ToArray()),
        ("number", "123"u8.ToArray()),
        ("empty object", "{}"u8.ToArray()),
        ("whitespace", " \r\n\t "u8.ToArray()),
        ("lone surrogate escape", "{\"a\":\"\\ud800\"}"u8.ToArray()),
        ("invalid utf-8", [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xaf, 0x22, 0x7d]),
        ("overlong utf-8 slash", [0x22, 0xc0, 0xaf, 0x22]),
        ("raw NUL", "{\"a\":\"\0\"}\0"u8.ToArray()),
        ("utf-16 bytes", System.Text.Encoding.Unicode.GetBytes("{\"a\":1}")),
        ("two documents", "{}{}"u8.ToArray()),
        ("deep nesting", System.Text.Encoding.ASCII.GetBytes(new string('[', 5000) + new string(']', 5000))),
        ("deep objects", System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 2000)) + "1" + new string('}', 2000))),
    ];

    /// <summary>Request Content-Types for a JSON route.</summary>
    public static readonly string?[] ContentTypes =
    [
        null, "", "text/plain", "application/xml", "application/json; charset=bogus", "application/json; charset=utf-16",
        "application/json; charset=\"utf-8\"", "application/json;;;", "application/json, text/plain", "*/*", "application/",
        "multipart/form-data", "multipart/form-data; boundary=", "application/x-www-form-urlencoded", "application/vnd.api+json",
        "text/json; charset=latin1", "application/json; charset=utf-8; boundary=x",
    ];

    /// <summary>Range headers for a download: inverted, empty, suffix zero, past every integer width, many, other units.</summary>
    public static readonly string[] Ranges =
    [
        "bytes=9-1", "bytes=-0", "bytes=0-99999999999999999999", "bytes=99999999999-", "bytes=99999999999999999999-",
        "bytes=-99999999999999999999", "bytes=a-b", "bytes=", "bytes=--1", "bytes=1-0", "items=0-1", "bytes=0-0,-0",
        "bytes=" + string.Join(",", Enumerable.Range(0, 300).Select(i => $"{i}-{i}")), "bytes=0-1, 0-1", "bytes=-1", "bytes=0-",
        "bytes=9223372036854775807-", "bytes=0-9223372036854775807",
    ];

    /// <summary>Path segments for ids, sent verbatim (already URL-encoded where they need to be).</summary>
    public static readonly string[] RawPathSegments =
    [
        "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%2e%2e", "..", "../../etc/passwd", "..%5C..%5Cwin.ini",
        "%252e%252e%252f", "%C0%AE%C0%AE%2F", "%E2%80%AE", "%F0%9F%98%80", "%20", "%zz", "%", "a;b=c", "a%3Bb", "~", "-1",
        "99999999999999999999", "VI1%00", "%u002e", new string('x', 4000),
    ];

    /// <summary>Query values sent verbatim (already URL-encoded where they need to be).</summary>
    public static readonly string[] RawQueryValues =
    [
        "%zz", "%", "%00", "%ff%fe", "a%26b%3Dc", "+++", "-1", "0", "99999999999999999999", "2147483648", "1.5", "NaN",
        "..%2F..%2Fetc%2Fpasswd", "%E2%80%AE", "%F0%9F%98%80", "[]", "{}", new string('q', 4000),
    ];

    public static string Big(int chars) => string.Create(chars, 0, static (span, _) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (char)('a' + (i % 26));
        }
    });
}
