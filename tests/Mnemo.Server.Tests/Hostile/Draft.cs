using System.Text.Json.Nodes;

namespace Mnemo.Server.Tests.Hostile;

/// <summary>A request being built: a route's well-formed baseline, then one mutation after another.</summary>
public sealed class Draft(FuzzRoute route)
{
    public FuzzRoute Route { get; } = route;
    public string Method { get; set; } = route.Method;
    public string Template { get; set; } = route.Template;
    public Dictionary<string, string> PathValues { get; } = [];
    public List<KeyValuePair<string, string>> Query { get; } = [];
    public List<KeyValuePair<string, string>> Headers { get; } = [];
    public string? ContentType { get; set; }
    public byte[]? Body { get; set; }

    /// <summary>The baseline JSON body, kept as a tree so a mutation can swap one value.</summary>
    public JsonNode? Json { get; set; }

    public List<string> Cases { get; } = [];

    public static string AuthHeader(FuzzSurface surface) => surface == FuzzSurface.Memic ? "X-API-Key" : "Authorization";

    public static string AuthValue(FuzzSurface surface) =>
        surface == FuzzSurface.Admin ? "Bearer " + HostileRequest.AdminPlaceholder : HostileRequest.KeyPlaceholder;

    public void RemoveHeader(string name) => Headers.RemoveAll(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));

    public void SetHeader(string name, string value)
    {
        RemoveHeader(name);
        Headers.Add(new(name, value));
    }

    public void SetQuery(string name, string rawValue)
    {
        Query.RemoveAll(q => q.Key == name);
        Query.Add(new(name, rawValue));
    }

    public HostileRequest ToRequest(int number)
    {
        var path = Template;
        foreach (var parameter in Route.InPath)
        {
            path = path.Replace("{" + parameter.Name + "}", PathValues.GetValueOrDefault(parameter.Name, "x"), StringComparison.Ordinal);
        }

        if (Query.Count > 0)
        {
            path += "?" + string.Join('&', Query.Select(q => q.Value.Length == 0 && q.Key.Length == 0 ? "" : $"{q.Key}={q.Value}"));
        }

        return new HostileRequest(number, Cases.Count == 0 ? "baseline" : string.Join(" + ", Cases), Route, Method, path,
            Headers.ToList(), ContentType, Body);
    }
}
