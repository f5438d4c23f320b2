using System.Text;
using System.Text.RegularExpressions;

namespace Mnemo.Server.Prompts;

/// <summary><c>{{ name }}</c> placeholders: found in a body, and filled from a set of values.</summary>
public static partial class PromptTemplate
{
    public const string ContextVariable = "context";

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]{0,63})\s*\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex Name();

    public static bool IsValidName(string name) => Name().IsMatch(name);

    /// <summary>The variables a body uses, in order of first appearance.</summary>
    public static IReadOnlyList<string> VariablesOf(string body) =>
        [.. Placeholder().Matches(body).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)];

    /// <summary>Fills every placeholder; returns the first variable without a value instead, if any.</summary>
    public static (string? Rendered, string? Missing) Render(string body, IReadOnlyDictionary<string, string> values)
    {
        var missing = VariablesOf(body).FirstOrDefault(v => !values.ContainsKey(v));
        if (missing is not null)
        {
            return (null, missing);
        }

        var rendered = new StringBuilder();
        var last = 0;
        foreach (Match match in Placeholder().Matches(body))
        {
            rendered.Append(body, last, match.Index - last).Append(values[match.Groups[1].Value]);
            last = match.Index + match.Length;
        }

        return (rendered.Append(body, last, body.Length - last).ToString(), null);
    }
}
