namespace Mnemo.Server.Understanding;

/// <summary>The engines installed from npm into a folder of their own (Moonshine, vision) and run by Node.js.</summary>
internal static class NodeInstall
{
    /// <summary>What this machine lacks to run an engine whose <paramref name="files"/> live in <paramref name="dir"/>; empty when it can.</summary>
    public static List<string> Missing(string dir, IEnumerable<string> files)
    {
        var missing = files.Select(f => Path.Combine(dir, f)).Where(f => !File.Exists(f)).ToList();
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        if (!path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, "node"))))
        {
            missing.Insert(0, "node (Node.js) on PATH");
        }

        return missing;
    }
}
