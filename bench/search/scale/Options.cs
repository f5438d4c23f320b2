using System.Globalization;

namespace Mnemo.Bench.Scale;

/// <summary>The command line's <c>--name value</c> pairs.</summary>
public sealed class Options(IReadOnlyDictionary<string, string> values)
{
    public static Options Parse(IEnumerable<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                name = arg[2..];
                values[name] = "";
            }
            else if (name is not null)
            {
                values[name] = arg;
                name = null;
            }
        }

        return new Options(values);
    }

    public string Text(string name) =>
        values.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new ArgumentException($"--{name} is required");

    public string Text(string name, string fallback) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : fallback;

    public int Number(string name, int fallback) =>
        values.TryGetValue(name, out var v) && v.Length > 0 ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
