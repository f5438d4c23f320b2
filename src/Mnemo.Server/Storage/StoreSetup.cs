using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Mnemo.Server.Storage;

public static class StoreSetup
{
    public const string DataDirKey = "MNEMO_DATA_DIR";
    public const string DatabaseKey = "MNEMO_DATABASE";

    /// <summary>
    /// The embedded default: a SQLite file and stored bytes under MNEMO_DATA_DIR. MNEMO_DATABASE
    /// (a postgres:// URL or an Npgsql connection string) moves the whole store to PostgreSQL.
    /// </summary>
    public static WebApplicationBuilder AddMnemoStore(this WebApplicationBuilder builder)
    {
        var data = new DataDirectory(builder.Configuration[DataDirKey] ?? "./data");
        builder.Services.AddSingleton(data);
        builder.AddBlobStore();
        if (!UsesPostgres(builder.Configuration))
        {
            var connection = new SqliteConnectionStringBuilder
            {
                DataSource = data.DatabasePath,
                ForeignKeys = true,
                DefaultTimeout = 30,
            }.ToString();
            builder.Services.AddSingleton<SqliteWriteGate>();
            builder.Services.AddDbContext<MnemoDb, SqliteMnemoDb>((services, options) => options
                .UseSqlite(connection)
                .AddInterceptors(services.GetRequiredService<SqliteWriteGate>()));
        }
        else
        {
            var connection = PostgresConnectionString(builder.Configuration[DatabaseKey]!);
            builder.Services.AddDbContext<MnemoDb, PostgresMnemoDb>(options => options.UseNpgsql(connection));
        }

        return builder;
    }

    /// <summary>True when MNEMO_DATABASE moves the store to PostgreSQL (shared by every instance).</summary>
    public static bool UsesPostgres(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[DatabaseKey]);

    /// <summary>Accepts postgres://user:password@host:port/database?sslmode=… or a key=value string.</summary>
    public static string PostgresConnectionString(string value)
    {
        if (!value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            && !value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        var uri = new Uri(value);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length > 1)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            builder[Uri.UnescapeDataString(kv[0]).Replace('_', ' ')] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "";
        }

        return builder.ConnectionString;
    }

    public static async Task MigrateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MnemoDb>();
        await using (await MigrationLock.TakeAsync(db))
        {
            await db.Database.MigrateAsync();
        }

        if (db.Database.IsSqlite())
        {
            // WAL lets readers go on while a writer commits; it is a property of the file, set once.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        foreach (var script in services.GetServices<StoreScript>())
        {
            await db.Database.ExecuteSqlRawAsync(db.Database.IsSqlite() ? script.Sqlite : script.Postgres);
        }
    }
}

/// <summary>
/// Instances starting together on one PostgreSQL database apply migrations one at a time. EF Core's own
/// lock holds for one migration's transaction only, so with several pending migrations two instances
/// could both apply the second. A session-level advisory lock, on a connection of its own, spans them all.
/// </summary>
internal sealed class MigrationLock(NpgsqlConnection? connection) : IAsyncDisposable
{
    private const long Key = 0x4D6E656D6F; // "Mnemo"

    public static async Task<MigrationLock> TakeAsync(MnemoDb db)
    {
        if (db.Database.IsSqlite())
        {
            return new MigrationLock(null);
        }

        var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({Key})", connection);
        await command.ExecuteNonQueryAsync();
        return new MigrationLock(connection);
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            // Closing the session releases the lock too; unlocking first hands it over at once.
            await using var command = new NpgsqlCommand($"SELECT pg_advisory_unlock({Key})", connection);
            await command.ExecuteNonQueryAsync();
            await connection.DisposeAsync();
        }
    }
}

/// <summary>
/// SQL a folder needs beyond the EF model (full-text tables and their triggers), run after the migrations on
/// every start; it must be idempotent. Registered by the folder that owns it, so the store names no folder.
/// </summary>
public sealed record StoreScript(string Sqlite, string Postgres);
