using System.Text;
using Part = Mnemo.Server.Tests.Hostile.MultipartBodies.Part;

namespace Mnemo.Server.Tests.Hostile;

/// <summary>Wrong content types, broken JSON, wrong-typed and outsized values, broken multipart and forms.</summary>
public static class BodyMutations
{
    public static IEnumerable<Mutation> ContentTypes(FuzzRoute route)
    {
        if (route.ContentTypes.Count == 0 && !route.IsUploadUrl)
        {
            // A body where none is expected.
            yield return new("unexpected JSON body", (d, _) =>
            {
                d.ContentType = "application/json";
                d.Body = "{\"a\":1}"u8.ToArray();
            });
            yield break;
        }

        foreach (var contentType in HostileValues.ContentTypes)
        {
            yield return new($"Content-Type {contentType ?? "(none)"}", (d, _) => d.ContentType = contentType);
        }

        yield return new("Content-Type json on a multipart body", (d, _) => d.ContentType = "application/json");
        yield return new("no body", (d, _) =>
        {
            d.Body = null;
            d.ContentType = null;
        });
        yield return new("empty body", (d, _) => d.Body = []);
    }

    public static IEnumerable<Mutation> Json(FuzzRoute route)
    {
        if (!route.TakesJson)
        {
            yield break;
        }

        foreach (var (name, bytes) in HostileValues.JsonTexts)
        {
            yield return new($"JSON {name}", (d, _) => d.Body = bytes);
        }

        yield return new("JSON cut in half", (d, _) => d.Body = d.Body is { Length: > 1 } b ? b[..(b.Length / 2)] : d.Body);
        yield return new("JSON last byte dropped", (d, _) => d.Body = d.Body is { Length: > 1 } b ? b[..^1] : d.Body);
        yield return new("JSON with BOM", (d, _) => d.Body = [0xef, 0xbb, 0xbf, .. d.Body ?? []]);
        yield return new("JSON trailing garbage", (d, _) => d.Body = [.. d.Body ?? [], .. "}}]]\0"u8.ToArray()]);
        yield return new("JSON over the body limit", (d, _) => d.Body = Encoding.UTF8.GetBytes(
            "{\"x\":" + JsonBodies.Quote(HostileValues.Big(HostileValues.Megabyte + 200_000)) + "}"));

        var fields = JsonBodies.Fields(route.BodySchema);
        if (fields.FirstOrDefault(f => f.Type == "string") is { } text)
        {
            // Just under the default 1 MiB body limit, so it reaches the handler.
            yield return new($"{text}=1 MB string", (d, _) => d.Body = JsonBodies.With(d.Json, text, JsonBodies.Quote(HostileValues.Big(HostileValues.Megabyte))));
        }

        foreach (var field in fields)
        {
            foreach (var token in TokensFor(field.Type))
            {
                yield return new($"{field}={HeaderMutations.Clip(token)}", (d, _) => d.Body = JsonBodies.With(d.Json, field, token));
            }
        }

        if (fields.FirstOrDefault(f => f.Path.Count == 1) is { } first)
        {
            yield return new($"duplicate {first} (wrong type first)", (d, _) => d.Body = JsonBodies.WithDuplicate(d.Json, first.Path[0], "{\"x\":[1,2]}"));
            yield return new($"duplicate {first} (null first)", (d, _) => d.Body = JsonBodies.WithDuplicate(d.Json, first.Path[0], "null"));
        }
    }

    private static IEnumerable<string> TokensFor(string type) => type switch
    {
        "string" => ["null", "123", "{}", JsonBodies.Quote("\0"), JsonBodies.Quote("../../etc/passwd"),
            JsonBodies.Quote("%2e%2e%2f%2e%2e%2fetc%2fpasswd"), JsonBodies.Quote("😀\u202E\uFEFF日本"), JsonBodies.Quote(""),
            JsonBodies.Quote(new string('a', 10_000)), "\"\\ud800\""],
        "integer" or "number" => ["null", "-1", "0", "-9223372036854775809", "9223372036854775808", "1e309", "0.5",
            "\"x\"", "\"-1\"", "[]", "2147483648"],
        "boolean" => ["null", "\"yes\"", "1"],
        "array" => ["null", "{}", "\"x\"", "[null]", "[1]", "[[[]]]",
            // Tens of thousands of distinct ids: one SQL parameter each would overflow the database's limit.
            "[" + string.Join(',', Enumerable.Range(1, 40_000).Select(i => $"\"VI{i}\"")) + "]"],
        "object" => ["null", "[]", "\"x\"", "1", "{\"\\u0000\":1}"],
        _ => ["null", "\"x\"", "[]", "1e309", "{\"a\":{\"b\":{\"c\":[null]}}}"],
    };

    public static IEnumerable<Mutation> Multipart(FuzzRoute route, IReadOnlyList<Part> parts)
    {
        if (!route.TakesMultipart || route.ContentTypes.Contains("application/x-www-form-urlencoded"))
        {
            yield break;
        }

        var file = parts.FirstOrDefault(p => p.FileName is not null);
        var fields = parts.Where(p => p.FileName is null).ToList();
        byte[] With(IEnumerable<Part> replaced, bool close = true) => MultipartBodies.Write(replaced, close);

        yield return new("multipart cut short", (d, _) => d.Body = d.Body is { Length: > 1 } b ? b[..(b.Length * 3 / 5)] : d.Body);
        yield return new("multipart without closing boundary", (d, _) => d.Body = With(parts, close: false));
        yield return new("multipart without boundary parameter", (d, _) => d.ContentType = "multipart/form-data");
        yield return new("multipart with another boundary", (d, _) => d.ContentType = "multipart/form-data; boundary=other");
        yield return new("multipart with a 200-char boundary", (d, _) => d.ContentType = "multipart/form-data; boundary=" + new string('b', 200));
        yield return new("multipart garbage", (d, _) => d.Body = "this is not multipart at all\r\n--\r\n"u8.ToArray());
        yield return new("multipart only the closing boundary", (d, _) => d.Body = With([]));
        yield return new("multipart mixed", (d, _) => d.ContentType = "multipart/mixed; boundary=" + MultipartBodies.Boundary);
        yield return new("multipart bogus charset", (d, _) => d.ContentType = MultipartBodies.ContentType + "; charset=bogus");
        yield return new("multipart part without name", (d, _) => d.Body = With([new Part(null, "a.txt", "text/plain", MultipartBodies.TextFile), .. fields]));
        yield return new("multipart part without headers", (d, _) => d.Body = With([new Part(null, null, null, "x"u8.ToArray(), RawHeaders: ""), .. parts]));
        yield return new("multipart part header 100 KB", (d, _) => d.Body = With([new Part(null, null, null, "x"u8.ToArray(),
            RawHeaders: "Content-Disposition: form-data; name=\"" + new string('h', 100_000) + "\"\r\n"), .. parts]));
        yield return new("multipart 5000 fields", (d, _) => d.Body = With([.. parts, .. Enumerable.Range(0, 5000).Select(i => MultipartBodies.Field("f" + i, "v"))]));
        if (file is null)
        {
            yield break;
        }

        yield return new("multipart without the file", (d, _) => d.Body = With(fields));
        yield return new("multipart file twice", (d, _) => d.Body = With([file, file, .. fields]));
        yield return new("multipart empty file", (d, _) => d.Body = With([file with { Bytes = [] }, .. fields]));
        yield return new("multipart junk file named .mp4", (d, _) => d.Body = With([file with { FileName = "clip.mp4", PartContentType = "video/mp4", Bytes = Junk(4096) }, .. fields]));
        yield return new("multipart file part Content-Type garbage", (d, _) => d.Body = With([file with { PartContentType = "%%%/;;;" }, .. fields]));
        foreach (var name in FileNames)
        {
            yield return new($"file name {HeaderMutations.Clip(name)}", (d, _) => d.Body = With([file with { FileName = name }, .. fields]));
        }

        foreach (var field in fields)
        {
            foreach (var value in new[] { "", "\0", "../../etc/passwd", "😀\u202E", "-1", "1e309", "99999999999999999999", HostileValues.Big(HostileValues.Megabyte) })
            {
                yield return new($"field {field.Name}={HeaderMutations.Clip(value)}", (d, _) =>
                    d.Body = With([file, .. fields.Select(f => f.Name == field.Name ? MultipartBodies.Field(f.Name!, value) : f)]));
            }

            yield return new($"field {field.Name} twice", (d, _) => d.Body = With([file, .. fields, MultipartBodies.Field(field.Name!, "second")]));
        }
    }

    private static readonly string[] FileNames =
    [
        "../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/passwd", "a\0b.txt", "😀 naïve.txt", "\u202Etxt.exe", "", ".", "..",
        "CON", "%2e%2e%2fetc%2fpasswd.txt", new string('n', 2000) + ".txt", "note.txt\r\nX-Injected: 1", "a\"b.txt",
    ];

    public static IEnumerable<Mutation> Form(FuzzRoute route, Func<IReadOnlyDictionary<string, string>, string> form)
    {
        if (!route.ContentTypes.Contains("application/x-www-form-urlencoded"))
        {
            yield break;
        }

        var names = route.BodySchema?["properties"]?.AsObject().Select(p => p.Key).ToList() ?? [];
        string[] values =
        [
            "", "%zz", "%00", "file%3A%2F%2F%2Fetc%2Fpasswd", "http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data", "gopher%3A%2F%2F127.0.0.1%3A25%2F",
            "http%3A%2F%2F%5B%3A%3A1%5D%3A9%2F", "..%2F..%2Fetc%2Fpasswd", "%F0%9F%98%80", "-1", "1e309", new string('u', 100_000),
        ];
        foreach (var name in names)
        {
            foreach (var value in values)
            {
                yield return new($"form {name}={HeaderMutations.Clip(value)}", (d, _) =>
                    d.Body = Encoding.UTF8.GetBytes(form(new Dictionary<string, string> { [name] = value })));
            }
        }

        yield return new("form empty pairs", (d, _) => d.Body = "&&&=&==&url"u8.ToArray());
        yield return new("form 5000 fields", (d, _) => d.Body = Encoding.ASCII.GetBytes(string.Join('&', Enumerable.Range(0, 5000).Select(i => $"f{i}=v"))));
        yield return new("form as multipart", (d, _) => d.ContentType = MultipartBodies.ContentType);
        yield return new("multipart garbage on a form route", (d, _) =>
        {
            d.ContentType = MultipartBodies.ContentType;
            d.Body = "garbage without any boundary"u8.ToArray();
        });
        yield return new("multipart without boundary on a form route", (d, _) => d.ContentType = "multipart/form-data");
    }

    private static byte[] Junk(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }
}
