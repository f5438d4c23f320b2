using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Mnemo.Server.Storage;

/// <summary>Tells a dependency that is down (answered with 503 and Retry-After) from a bug (500).</summary>
public static class StoreFailures
{
    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB
    private static readonly HashSet<int> SqliteUnavailable = [5, 6, 10, 13, 14, 26];

    // PostgreSQL refuses some values SQLite stores: a NUL in text (22021, 22P05), a value too long for a
    // column (22001) or for an index entry (54000, "index row size exceeds btree maximum").
    private static readonly HashSet<string> PostgresRejectedValue = ["22021", "22P05", "22001", "54000"];

    /// <summary>The database refused a value the caller sent: the request is at fault, not the server.</summary>
    public static bool IsRejectedValue(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.PostgresException postgres && PostgresRejectedValue.Contains(postgres.SqlState))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How loud a failed round of background work is: a dependency down is expected now and then, anything else is a bug.</summary>
    public static LogLevel LevelOf(Exception exception) => IsUnavailable(exception) ? LogLevel.Warning : LogLevel.Error;

    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException sqlite when SqliteUnavailable.Contains(sqlite.SqliteErrorCode):
                case DbException { IsTransient: true }:
                case TimeoutException:
                case IOException when e is not FileNotFoundException:
                case DependencyUnavailableException:
                    return true;
            }
        }

        return false;
    }
}

/// <summary>Thrown when a dependency (database, file store, tool) cannot serve the request now.</summary>
public sealed class DependencyUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
