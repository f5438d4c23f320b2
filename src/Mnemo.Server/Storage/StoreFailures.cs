using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Mnemo.Server.Storage;

/// <summary>Tells a dependency that is down (answered with 503 and Retry-After) from a bug (500).</summary>
public static class StoreFailures
{
    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB
    private static readonly HashSet<int> SqliteUnavailable = [5, 6, 10, 13, 14, 26];

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
