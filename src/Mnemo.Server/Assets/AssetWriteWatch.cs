using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Mnemo.Server.Assets;

/// <summary>
/// Tells <see cref="AssetReadCache"/> when an asset row may have changed on this instance: after any
/// command that writes the assets table, after every commit, and, for a write whose commit comes only
/// when its reader is done (SaveChanges' UPDATE … RETURNING outside a transaction), when its connection
/// closes. Every EF Core context of the server goes through it, whichever code does the write.
/// </summary>
public sealed class AssetWriteWatch(AssetReadCache cache) : IDbCommandInterceptor, IDbTransactionInterceptor, IDbConnectionInterceptor
{
    private static readonly object Dirty = new();
    private readonly ConditionalWeakTable<DbConnection, object> pending = new();

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Written(command);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Written(command);
        return ValueTask.FromResult(result);
    }

    public DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Written(command);
        return result;
    }

    public ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Written(command);
        return ValueTask.FromResult(result);
    }

    public object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Written(command);
        return result;
    }

    public ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Written(command);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => cache.Invalidate();

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        cache.Invalidate();
        return Task.CompletedTask;
    }

    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Closed(connection);

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        Closed(connection);
        return Task.CompletedTask;
    }

    private void Written(DbCommand command)
    {
        if (!WritesAssets(command.CommandText))
        {
            return;
        }

        cache.Invalidate();
        if (command.Transaction is null && command.Connection is { } connection)
        {
            pending.AddOrUpdate(connection, Dirty);
        }
    }

    private void Closed(DbConnection connection)
    {
        if (pending.Remove(connection))
        {
            cache.Invalidate();
        }
    }

    /// <summary>Reads start with SELECT; anything else naming the table may write it (over-reporting only costs a read).</summary>
    public static bool WritesAssets(string sql) =>
        !sql.AsSpan().TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
        && sql.Contains("assets", StringComparison.OrdinalIgnoreCase);
}
