namespace Mnemo.Server.Tests.Hostile;

/// <summary>Hostile ids in the path (traversal, encodings, NUL, outsized) and hostile query strings.</summary>
public static class ParameterMutations
{
    // URL-escaped, these stay well under Kestrel's 8 KB request line: longer is a protocol-level 414 (see docs/security.md).
    private static readonly string[] Escaped = HostileValues.Strings.Where(s => Uri.EscapeDataString(s).Length < 6000).ToArray();

    public static IEnumerable<Mutation> Path(FuzzRoute route)
    {
        foreach (var parameter in route.InPath)
        {
            var name = parameter.Name;
            yield return new($"{{{name}}} unknown", (d, _) => d.PathValues[name] = parameter.Schema["format"]?.GetValue<string>() == "uuid"
                ? "0190c0de-0000-7000-8000-000000000000" : Unknown(name));
            foreach (var value in Escaped)
            {
                yield return new($"{{{name}}}={HeaderMutations.Clip(value)}", (d, _) => d.PathValues[name] = Uri.EscapeDataString(value));
            }

            foreach (var raw in HostileValues.RawPathSegments)
            {
                yield return new($"{{{name}}} raw {HeaderMutations.Clip(raw)}", (d, _) => d.PathValues[name] = raw);
            }
        }
    }

    private static string Unknown(string name) => name switch
    {
        "asset_id" => "re_987654321",
        "video_no" => "VI987654321",
        "number" or "index" => "987654321",
        _ => "unknown-" + name,
    };

    public static IEnumerable<Mutation> Query(FuzzRoute route)
    {
        var parameters = route.InQuery.ToList();
        if (parameters.Count == 0)
        {
            yield return new("unknown query", (d, _) => d.SetQuery("x", "%zz"));
            yield break;
        }

        yield return new("no query", (d, _) => d.Query.Clear());
        yield return new("query without values", (d, _) =>
        {
            d.Query.Clear();
            d.Query.AddRange(parameters.Select(p => new KeyValuePair<string, string>(p.Name, "")));
        });
        foreach (var parameter in parameters)
        {
            var name = parameter.Name;
            yield return new($"{name} twice", (d, _) => d.Query.Add(new(name, "2")));
            foreach (var value in Escaped)
            {
                yield return new($"{name}={HeaderMutations.Clip(value)}", (d, _) => d.SetQuery(name, Uri.EscapeDataString(value)));
            }

            foreach (var raw in HostileValues.RawQueryValues)
            {
                yield return new($"{name} raw {HeaderMutations.Clip(raw)}", (d, _) => d.SetQuery(name, raw));
            }
        }
    }
}
