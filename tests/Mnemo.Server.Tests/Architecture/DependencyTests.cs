namespace Mnemo.Server.Tests.Architecture;

/// <summary>
/// The direction of dependencies (docs/architecture.md): surfaces bind, call the core and shape the
/// answer, so they never touch the database; the core never knows a surface.
/// </summary>
public sealed class DependencyTests
{
    private static readonly string[] CoreFolders =
        ["Accounts", "Assets", "Billing", "Errors", "Faults", "Idempotency", "Processing", "Prompts", "RateLimits", "Search", "Storage", "Understanding"];

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

    [Theory]
    [InlineData("Accounts", "Billing")]
    [InlineData("Accounts", "Faults")]
    [InlineData("Accounts", "Hosting")]
    public void DependenciesRunOneWay(string folder, string below)
    {
        var offenders = Sources(folder)
            .Where(f => Mentions(f, $"Mnemo.Server.{below}") || System.Text.RegularExpressions.Regex.IsMatch(
                File.ReadAllText(Path.Combine(Server, f)), $@"(?<![\w.]){below}\."))
            .ToList();
        offenders.ShouldBeEmpty($"{folder} must not depend on {below}: " + string.Join(", ", offenders));
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
