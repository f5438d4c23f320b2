using System.Text;

namespace Mnemo.Server.Errors;

/// <summary>The catalog, served (GET /api/v1/errors, mapped by memic's <c>MapErrorCatalog</c>) and rendered into docs/errors.md.</summary>
public static class ErrorCatalogApi
{
    public sealed record CatalogEntry(
        string Name, string When, int HttpStatus, int MemoriesStatus, int MemicStatus,
        string V2Msg, string V1Code, string MemicCode, string Cause, string Solution);

    public sealed record CatalogView(IReadOnlyList<CatalogEntry> Errors);

    public static CatalogView View { get; } = new([.. ErrorCatalog.All.Select(k => new CatalogEntry(
        k.Name, k.When, k.Status, k.StatusOn(Surface.MemoriesV2), k.StatusOn(Surface.Memic),
        k.Msg, k.V1Code, k.MemicCode, k.Cause, k.Solution))]);

    public static string RenderMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# Error catalog");
        md.AppendLine();
        md.AppendLine("Generated from `src/Mnemo.Server/Errors/ErrorCatalog.cs` by `tests/Mnemo.Server.Tests/Errors/ErrorDocsTests.cs`;");
        md.AppendLine("do not edit by hand (run the tests with `MNEMO_WRITE_DOCS=1` to regenerate). The same table is served at `GET /api/v1/errors`.");
        md.AppendLine();
        md.AppendLine("| name | when | HTTP memories | HTTP memic | v2 `msg` | v1 code | memic `code` |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var e in View.Errors)
        {
            md.AppendLine($"| `{e.Name}` | {e.When} | {e.MemoriesStatus} | {e.MemicStatus} | {e.V2Msg} | `{e.V1Code}` | `{e.MemicCode}` |");
        }

        md.AppendLine();
        md.AppendLine("## Troubleshooting");
        md.AppendLine();
        md.AppendLine("| name | possible cause | solution |");
        md.AppendLine("|---|---|---|");
        foreach (var e in View.Errors)
        {
            md.AppendLine($"| `{e.Name}` | {e.Cause} | {e.Solution} |");
        }

        return md.ToString();
    }
}
