namespace Mnemo.Server.Tests.Work;

/// <summary>Work is the leased-work primitive under parsing, video tasks and the steps to come: it knows only Storage.</summary>
public sealed class WorkDependencyTests
{
    [Fact]
    public void WorkReferencesNoFolderButStorage()
    {
        var work = Path.Combine(RepositoryRoot(), "src", "Mnemo.Server", "Work");
        var offenders = Directory.EnumerateFiles(work, "*.cs")
            .SelectMany(f => File.ReadAllLines(f).Select(line => (File: Path.GetFileName(f), Line: line.Trim())))
            .Where(l => l.Line.StartsWith("using Mnemo.Server.", StringComparison.Ordinal)
                && l.Line is not "using Mnemo.Server.Storage;" and not "using Mnemo.Server.Work;")
            .Select(l => $"{l.File}: {l.Line}")
            .ToList();
        offenders.ShouldBeEmpty();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "src", "Mnemo.Server")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root is not above " + AppContext.BaseDirectory);
    }
}
