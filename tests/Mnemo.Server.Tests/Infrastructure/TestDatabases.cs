using Npgsql;

namespace Mnemo.Server.Tests.Infrastructure;

/// <summary>
/// With MNEMO_TEST_POSTGRES set (a connection string to a server, as .ci/start-postgres prints), every
/// test server gets a database of its own on it; without it, the embedded SQLite file.
/// </summary>
public static class TestDatabases
{
    public static string? ServerConnectionString => Environment.GetEnvironmentVariable("MNEMO_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    public static string? CreatePostgresDatabaseIfAsked(IDictionary<string, string?> settings)
    {
        if (ServerConnectionString is null || settings.ContainsKey("MNEMO_DATABASE"))
        {
            return null;
        }

        var database = CreatePostgresDatabase();
        settings["MNEMO_DATABASE"] = database;
        return database;
    }

    /// <summary>A database of its own on the test PostgreSQL server, for tests whose servers share one store.</summary>
    public static string CreatePostgresDatabase()
    {
        var server = ServerConnectionString ?? throw new InvalidOperationException("MNEMO_TEST_POSTGRES is not set.");
        var name = "mnemo_" + Guid.NewGuid().ToString("N");
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            create.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public static void Drop(string? database)
    {
        if (database is null || ServerConnectionString is not { } server)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(database).Database;
        using var connection = new NpgsqlConnection(server);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }
}
