using Microsoft.Data.Sqlite;
using Mnemo.Server.Tests.Infrastructure;

namespace Mnemo.Server.Tests.Scale;

/// <summary>
/// One store (a data directory, and on PostgreSQL one database) for several servers, as N instances
/// of a deployment share them. Without MNEMO_TEST_POSTGRES the servers share one SQLite file.
/// </summary>
public sealed class SharedStore : IDisposable
{
    public SharedStore()
    {
        DataDir = Path.Combine(Path.GetTempPath(), "mnemo-tests", "shared-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDir);
        Postgres = TestDatabases.ServerConnectionString is null ? null : TestDatabases.CreatePostgresDatabase();
    }

    public string DataDir { get; }

    public string? Postgres { get; }

    /// <summary>Settings that point a server at this store, plus <paramref name="extra"/>.</summary>
    public Dictionary<string, string?> Settings(IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["MNEMO_DATA_DIR"] = DataDir };
        if (Postgres is not null)
        {
            settings["MNEMO_DATABASE"] = Postgres;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        TestDatabases.Drop(Postgres);
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
