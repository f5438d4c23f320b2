using System.Text.RegularExpressions;

namespace Mnemo.Server.Tests.Architecture;

/// <summary>
/// The direction of dependencies (docs/architecture.md): surfaces bind, call the core and shape the
/// answer, so they never touch the database; the core never knows a surface; core folders depend on each
/// other one way only.
/// </summary>
public sealed class DependencyTests
{
    private static readonly string[] CoreFolders =
        ["Accounts", "Assets", "Billing", "Errors", "Faults", "Idempotency", "Processing", "People", "Prompts", "RateLimits", "Search", "Storage", "Tools", "Understanding", "Work"];

    /// <summary>
    /// Storage's table of contents of the model names every folder's entity types: it is no dependency of
    /// Storage on them (nor are the migrations, never read here).
    /// </summary>
    private static readonly string[] ModelTableOfContents = [Path.Combine("Storage", "MnemoDb.cs")];

    /// <summary>Edges that still close a cycle, each with who removes it; drop a line once its cycle is gone.</summary>
    private static readonly Dictionary<(string From, string To), string> KnownCycles = new()
    {
    };

    private static readonly string Server = Path.Combine(RepositoryRoot(), "src", "Mnemo.Server");

    [Fact]
    public void NoSurfaceFileReachesTheDatabase()
    {
        var offenders = Sources("Surfaces")
            .Where(f => Mentions(f, "Microsoft.EntityFrameworkCore") || Mentions(f, "MnemoDb"))
            .ToList();
        offenders.ShouldBeEmpty("surface files must call a core service, not EF Core: " + string.Join(", ", offenders));
    }

    [Fact]
    public void NoCoreFileKnowsASurface()
    {
        var offenders = CoreFolders.SelectMany(Sources)
            .Where(f => Mentions(f, "Mnemo.Server.Surfaces") || Mentions(f, "Surfaces."))
            .ToList();
        offenders.ShouldBeEmpty("the core must not reference Surfaces: " + string.Join(", ", offenders));
    }

    [Fact]
    public void CoreFoldersDependOnEachOtherOneWayOnly()
    {
        // Hosting is composition (it names every folder, as Program.cs does), so it is no node here.
        var edges = CoreFolders
            .SelectMany(from => Sources(from)
                .Where(f => !ModelTableOfContents.Contains(f))
                .SelectMany(f => References(f).Where(to => to != from).Select(to => (From: from, To: to, File: f))))
            .Where(e => !KnownCycles.ContainsKey((e.From, e.To)))
            .GroupBy(e => (e.From, e.To))
            .ToDictionary(g => g.Key, g => g.Select(e => e.File).Distinct().ToList());
        var offenders = edges.Keys
            .Where(e => Reaches(edges.Keys, e.To, e.From))
            .Select(e => $"{e.From} -> {e.To} ({string.Join(", ", edges[e])})")
            .Order()
            .ToList();
        offenders.ShouldBeEmpty("core folders must depend on each other one way; these edges close a cycle: " + string.Join("; ", offenders));
    }

    /// <summary>
    /// The core folders a file names: by <c>using Mnemo.Server.X;</c>, fully qualified (<c>Mnemo.Server.X.</c>) or
    /// qualified by the folder alone (<c>Understanding.Understander</c>, which needs no using inside Mnemo.Server).
    /// Comment lines are not references.
    /// </summary>
    private static IEnumerable<string> References(string relative)
    {
        var code = string.Join('\n', File.ReadLines(Path.Combine(Server, relative)).Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)));
        return CoreFolders.Where(folder =>
            code.Contains($"Mnemo.Server.{folder};", StringComparison.Ordinal)
            || code.Contains($"Mnemo.Server.{folder}.", StringComparison.Ordinal)
            || Regex.IsMatch(code, $@"(?<![\w.]){folder}\.[A-Z]"));
    }

    private static bool Reaches(IEnumerable<(string From, string To)> edges, string start, string target)
    {
        var seen = new HashSet<string> { start };
        var next = new Queue<string>([start]);
        while (next.TryDequeue(out var folder))
        {
            if (folder == target)
            {
                return true;
            }

            foreach (var (_, to) in edges.Where(e => e.From == folder && seen.Add(e.To)))
            {
                next.Enqueue(to);
            }
        }

        return false;
    }

    private static IEnumerable<string> Sources(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Server, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Server, f));

    private static bool Mentions(string relative, string text) =>
        File.ReadAllText(Path.Combine(Server, relative)).Contains(text, StringComparison.Ordinal);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "src", "Mnemo.Server")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with src/Mnemo.Server) is not above " + AppContext.BaseDirectory);
    }
}
