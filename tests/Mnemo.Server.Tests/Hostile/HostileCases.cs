using System.Text;

namespace Mnemo.Server.Tests.Hostile;

/// <summary>One way to break a request; <c>Apply</c> may draw from the random source (the random pass) or not.</summary>
public sealed record Mutation(string Name, Action<Draft, Random> Apply);

/// <summary>
/// The requests of a pass: for every route its well-formed baseline, then every mutation alone (the
/// fixed catalogue, the same every run), then random combinations of up to three, from a fixed seed.
/// </summary>
public sealed class HostileCases(FuzzFixture fixture, IReadOnlyList<FuzzRoute> routes)
{
    private static readonly string[] AllMethods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FUZZ"];

    private int number;

    /// <summary>Deletes go last, so the assets the other routes aim at live through the fixed catalogue.</summary>
    private IEnumerable<FuzzRoute> Ordered => routes.OrderBy(r => r.Method == "DELETE" || r.Template.EndsWith("/delete_videos", StringComparison.Ordinal));

    public IEnumerable<HostileRequest> Fixed()
    {
        var unused = new System.Random(0); // the catalogue's mutations draw nothing
        var index = 0;
        foreach (var route in Ordered)
        {
            index++;
            yield return Baseline(route).ToRequest(++number);
            foreach (var mutation in MutationsFor(route))
            {
                var draft = Baseline(route);
                mutation.Apply(draft, unused);
                draft.Cases.Add(mutation.Name);
                yield return draft.ToRequest(++number);
            }

            if (route.Method == "POST")
            {
                // The same well-formed X-Request-Id twice: a client retrying with its own id.
                for (var i = 0; i < 2; i++)
                {
                    var draft = Baseline(route);
                    draft.SetHeader("X-Request-Id", $"fuzz-reused-{route.Surface}-{index}");
                    draft.Cases.Add("request id reused");
                    yield return draft.ToRequest(++number);
                }
            }
        }
    }

    public IEnumerable<HostileRequest> Random(int seed, int perRoute)
    {
        var random = new System.Random(seed);
        var ordered = Ordered.ToList();
        for (var round = 0; round < perRoute; round++)
        {
            foreach (var route in ordered)
            {
                var draft = Baseline(route);
                if (route.AliasPrefixes.Count > 0 && random.NextDouble() < 0.3)
                {
                    draft.Template = route.AliasPrefixes[random.Next(route.AliasPrefixes.Count)];
                    draft.Cases.Add("alias path");
                }

                var mutations = MutationsFor(route).Concat(Generative(route)).ToList();
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    var mutation = mutations[random.Next(mutations.Count)];
                    mutation.Apply(draft, random);
                    draft.Cases.Add(mutation.Name);
                }

                yield return draft.ToRequest(++number);
            }
        }
    }

    public Draft Baseline(FuzzRoute route)
    {
        var draft = new Draft(route);
        draft.Headers.Add(new(Draft.AuthHeader(route.Surface), Draft.AuthValue(route.Surface)));
        foreach (var parameter in route.InPath)
        {
            draft.PathValues[parameter.Name] = Uri.EscapeDataString(fixture.ValueFor(parameter.Name, route) ?? "x");
        }

        foreach (var parameter in route.InQuery)
        {
            if (fixture.ValueFor(parameter.Name, route) is { } value)
            {
                draft.Query.Add(new(parameter.Name, Uri.EscapeDataString(value)));
            }
        }

        if (route.IsUploadUrl)
        {
            draft.ContentType = "application/octet-stream";
            draft.Body = MultipartBodies.TextFile;
        }
        else if (route.TakesJson)
        {
            draft.Json = JsonBodies.Valid(route.BodySchema, name => fixture.ValueFor(name, route));
            draft.ContentType = "application/json";
            draft.Body = Encoding.UTF8.GetBytes(draft.Json?.ToJsonString() ?? "null");
        }
        else if (route.ContentTypes.Contains("application/x-www-form-urlencoded"))
        {
            draft.ContentType = "application/x-www-form-urlencoded";
            draft.Body = Encoding.UTF8.GetBytes(FormText(route, new Dictionary<string, string>()));
        }
        else if (route.TakesMultipart)
        {
            draft.ContentType = MultipartBodies.ContentType;
            draft.Body = MultipartBodies.Write(Parts(route));
        }

        return draft;
    }

    public IReadOnlyList<Mutation> MutationsFor(FuzzRoute route) =>
    [
        .. HeaderMutations.Auth(route),
        .. WrongMethods(route),
        .. HeaderMutations.Generic(route),
        .. BodyMutations.ContentTypes(route),
        .. BodyMutations.Json(route),
        .. BodyMutations.Multipart(route, Parts(route)),
        .. BodyMutations.Form(route, fields => FormText(route, fields)),
        .. ParameterMutations.Path(route),
        .. ParameterMutations.Query(route),
        .. HeaderMutations.Ranges(route),
    ];

    private IEnumerable<Mutation> WrongMethods(FuzzRoute route)
    {
        var allowed = routes.Where(r => r.Template == route.Template).Select(r => r.Method).ToHashSet();
        return AllMethods.Where(m => !allowed.Contains(m)).Select(m => new Mutation($"method {m}", (d, _) => d.Method = m));
    }

    /// <summary>Mutations only the random pass uses: they draw their victim and their damage at random.</summary>
    private static IEnumerable<Mutation> Generative(FuzzRoute route)
    {
        yield return new Mutation("flip bytes", (d, r) =>
        {
            if (d.Body is { Length: > 0 } body)
            {
                var copy = (byte[])body.Clone();
                for (var i = r.Next(1, 6); i > 0; i--)
                {
                    copy[r.Next(copy.Length)] = (byte)r.Next(256);
                }

                d.Body = copy;
            }
        });
        yield return new Mutation("cut body", (d, _) => d.Body = d.Body is { Length: > 1 } b ? b[..(b.Length / 2)] : d.Body);
        if (route.TakesJson && route.BodySchema is not null)
        {
            var fields = JsonBodies.Fields(route.BodySchema);
            var pool = HostileValues.Strings.Where(s => s.Length < 20_000).Select(JsonBodies.Quote)
                .Concat(HostileValues.Numbers).Concat(HostileValues.WrongTypes).ToArray();
            if (fields.Count > 0)
            {
                yield return new Mutation("random field", (d, r) =>
                {
                    var field = fields[r.Next(fields.Count)];
                    d.Body = JsonBodies.With(d.Json, field, pool[r.Next(pool.Length)]);
                });
            }
        }
    }

    private List<MultipartBodies.Part> Parts(FuzzRoute route)
    {
        var parts = new List<MultipartBodies.Part>();
        foreach (var (name, schema) in route.BodySchema?["properties"]?.AsObject() ?? [])
        {
            var type = JsonBodies.TypeOf(schema);
            var binary = schema?["format"]?.GetValue<string>() == "binary" || schema?["items"]?["format"]?.GetValue<string>() == "binary";
            if (binary)
            {
                parts.Add(MultipartBodies.File(name));
            }
            else if (fixture.ValueFor(name, route) is { } value)
            {
                parts.Add(MultipartBodies.Field(name, value));
            }
            else if (type is "string")
            {
                parts.Add(MultipartBodies.Field(name, "fuzz"));
            }
        }

        return parts;
    }

    private string FormText(FuzzRoute route, IReadOnlyDictionary<string, string> overrides)
    {
        var names = route.BodySchema?["properties"]?.AsObject().Select(p => p.Key) ?? [];
        return string.Join('&', names
            .Select(name => (name, value: overrides.TryGetValue(name, out var v) ? v : fixture.ValueFor(name, route)))
            .Where(f => f.value is not null)
            .Select(f => $"{f.name}={(overrides.ContainsKey(f.name) ? f.value : Uri.EscapeDataString(f.value!))}"));
    }
}
