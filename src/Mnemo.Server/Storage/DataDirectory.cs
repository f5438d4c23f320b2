namespace Mnemo.Server.Storage;

/// <summary>MNEMO_DATA_DIR (default ./data): the SQLite file and the stored bytes live here.</summary>
public sealed class DataDirectory
{
    public DataDirectory(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string DatabasePath => Path.Combine(Root, "mnemo.db");

    /// <summary>Throws when the directory cannot take a write (gone, read-only, full).</summary>
    public void Probe()
    {
        var probe = Path.Combine(Root, ".probe-" + Guid.NewGuid().ToString("N"));
        try
        {
            File.WriteAllBytes(probe, [1]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DependencyUnavailableException("The data directory cannot be written.", e);
        }
        finally
        {
            File.Delete(probe);
        }
    }
}
