namespace Mnemo.Server.Tests.Infrastructure;

public static class RepoPaths
{
    /// <summary>The checkout's root: the folder holding Mnemo.slnx.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mnemo.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Mnemo.slnx not found above " + AppContext.BaseDirectory);
    }
}
