namespace Mnemo.Server.Tests.Hostile;

/// <summary>Keys missing, wrong or in the wrong header; hostile ids, ranges and conditional headers.</summary>
public static class HeaderMutations
{
    private const string WrongKey = "sk-mnemo-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    public static IEnumerable<Mutation> Auth(FuzzRoute route)
    {
        var header = Draft.AuthHeader(route.Surface);
        var wrongHeader = header == "Authorization" ? "X-API-Key" : "Authorization";
        var secret = route.Surface == FuzzSurface.Admin ? HostileRequest.AdminPlaceholder : HostileRequest.KeyPlaceholder;
        var other = route.Surface == FuzzSurface.Admin ? HostileRequest.KeyPlaceholder : HostileRequest.AdminPlaceholder;
        var bearer = route.Surface == FuzzSurface.Admin ? "Bearer " : "";
        yield return new("no key", (d, _) => d.RemoveHeader(header));
        yield return new("wrong key", (d, _) => d.SetHeader(header, bearer + WrongKey));
        yield return new("key in the wrong header", (d, _) =>
        {
            d.RemoveHeader(header);
            d.SetHeader(wrongHeader, secret);
        });
        yield return new("key with the other secret", (d, _) => d.SetHeader(header, bearer + other));
        yield return new("unicode key", (d, _) => d.SetHeader(header, bearer + "sk-mnemo-ключ-😀-\u00e9"));
        yield return new("huge key", (d, _) => d.SetHeader(header, bearer + "sk-mnemo-" + new string('k', 8000)));
        yield return new("empty bearer", (d, _) => d.SetHeader(header, "Bearer "));
        yield return new("basic auth", (d, _) => d.SetHeader(header, "Basic dXNlcjpwYXNz"));
        yield return new("key twice", (d, _) => d.Headers.Add(new(header, bearer + WrongKey)));
        yield return new("key with control chars", (d, _) => d.SetHeader(header, bearer + secret + "\u0001\u007f"));
    }

    public static IEnumerable<Mutation> Generic(FuzzRoute route)
    {
        yield return new("X-Request-Id too long", (d, _) => d.SetHeader("X-Request-Id", new string('r', 300)));
        yield return new("X-Request-Id unicode", (d, _) => d.SetHeader("X-Request-Id", "id-😀-../../x"));
        yield return new("X-Request-Id empty", (d, _) => d.SetHeader("X-Request-Id", ""));
        yield return new("traceparent zero", (d, _) => d.SetHeader("traceparent", "00-00000000000000000000000000000000-0000000000000000-00"));
        yield return new("traceparent garbage", (d, _) => d.SetHeader("traceparent", "zz-" + new string('f', 500)));
        yield return new("X-Forwarded-For garbage", (d, _) => d.SetHeader("X-Forwarded-For", "999.999.999.999, ::zz, unknown, " + new string('1', 300)));
        yield return new("Forwarded garbage", (d, _) => d.SetHeader("Forwarded", "for=\"[::zz]\";proto=gopher;host=../../x"));
        yield return new("Accept xml", (d, _) => d.SetHeader("Accept", "application/xml"));
        yield return new("Accept-Charset bogus", (d, _) => d.SetHeader("Accept-Charset", "bogus"));
        yield return new("If-Modified-Since garbage", (d, _) => d.SetHeader("If-Modified-Since", "yesterday-ish"));
        yield return new("If-None-Match star", (d, _) => d.SetHeader("If-None-Match", "*"));
        if (route.Method is "POST" or "PUT" or "PATCH")
        {
            yield return new("Content-Encoding gzip lie", (d, _) => d.SetHeader("Content-Encoding", "gzip"));
            yield return new("Idempotency-Key huge", (d, _) => d.SetHeader("Idempotency-Key", new string('i', 8000)));
            yield return new("Idempotency-Key unicode", (d, _) => d.SetHeader("Idempotency-Key", "ключ-😀-\u202E"));
            yield return new("Idempotency-Key empty", (d, _) => d.SetHeader("Idempotency-Key", ""));
            yield return new("Idempotency-Key fixed", (d, _) => d.SetHeader("Idempotency-Key", "fuzz-idem-1"));
        }
    }

    public static IEnumerable<Mutation> Ranges(FuzzRoute route)
    {
        if (!route.IsDownload)
        {
            yield break;
        }

        foreach (var range in HostileValues.Ranges)
        {
            yield return new($"Range {Clip(range)}", (d, _) => d.SetHeader("Range", range));
        }

        yield return new("If-Range garbage", (d, _) =>
        {
            d.SetHeader("Range", "bytes=0-1");
            d.SetHeader("If-Range", "\"not-an-etag");
        });
    }

    public static string Clip(string value) =>
        value.Length <= 40 ? HostileRequest.Printable(System.Text.Encoding.UTF8.GetBytes(value), 40) : HostileRequest.Printable(System.Text.Encoding.UTF8.GetBytes(value[..30]), 30) + $"…({value.Length})";
}
