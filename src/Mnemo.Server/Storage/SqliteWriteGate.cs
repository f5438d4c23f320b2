using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Mnemo.Server.Storage;

/// <summary>
/// SQLite takes one writer at a time, and Microsoft.Data.Sqlite waits for the write lock in a
/// synchronous sleep loop that holds a pool thread. Under many concurrent writers the thread pool kept
/// adding threads (33 → 237 in a 15-minute soak) and RSS followed them. This gate queues the writers
/// of this process before they touch the file, and a queued writer waits without a thread. It is held
/// from BEGIN to COMMIT/ROLLBACK, or around one write outside a transaction, and always let go when the
/// connection closes. Other processes on the same file still meet SQLite's own busy wait.
/// </summary>
public sealed class SqliteWriteGate : IDbCommandInterceptor, IDbTransactionInterceptor, IDbConnectionInterceptor, IDisposable
{
    // As long as SQLite's own busy timeout (DefaultTimeout = 30), then the same 503.
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly ConditionalWeakTable<DbConnection, StateChangeEventHandler> holders = new();
    private readonly ConditionalWeakTable<DbTransaction, DbConnection> owners = new();

    private async ValueTask EnterAsync(DbConnection connection, CancellationToken ct)
    {
        if (holders.TryGetValue(connection, out _))
        {
            return;
        }

        if (!await gate.WaitAsync(MaxWait, ct))
        {
            throw Busy();
        }

        Hold(connection);
    }

    private void Enter(DbConnection connection)
    {
        if (holders.TryGetValue(connection, out _))
        {
            return;
        }

        if (!gate.Wait(MaxWait))
        {
            throw Busy();
        }

        Hold(connection);
    }

    private void Hold(DbConnection connection)
    {
        // However the unit of work ends (commit, rollback, a failed BEGIN, a disposed context), the
        // connection closes or goes back to the pool, and that lets the gate go.
        StateChangeEventHandler closed = (_, e) =>
        {
            if (e.CurrentState == ConnectionState.Closed)
            {
                Leave(connection);
            }
        };
        holders.AddOrUpdate(connection, closed);
        connection.StateChange += closed;
    }

    private void Leave(DbConnection connection)
    {
        if (holders.TryGetValue(connection, out var closed) && holders.Remove(connection))
        {
            connection.StateChange -= closed;
            gate.Release();
        }
    }

    // Every pooled connection keeps its own page cache (2 MB by default), and the pool grows to the
    // peak number of requests in flight: 200 clients held 205 connections. A small cache per
    // connection bounds that; the operating system's file cache is shared by all of them.
    private const string SmallCache = "PRAGMA cache_size = -256";

    public void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Shrink(connection);

    public Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Shrink(connection);
        return Task.CompletedTask;
    }

    // A PRAGMA that reads no page: nothing to wait for, so it runs synchronously on either path.
    private static void Shrink(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = SmallCache;
        command.ExecuteNonQuery();
    }

    private static TimeoutException Busy() =>
        new("The database is busy: another write held it for longer than 30 s.");

    /// <summary>A command outside a transaction that may write (anything but a read) takes the gate for itself.</summary>
    private static bool WritesAlone(DbCommand command)
    {
        if (command.Transaction is not null)
        {
            return false;
        }

        var text = command.CommandText.AsSpan().TrimStart();
        return !text.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
            && !text.StartsWith("PRAGMA", StringComparison.OrdinalIgnoreCase);
    }

    // Transactions: from BEGIN to its end.
    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Enter(connection);
        return result;
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        await EnterAsync(connection, cancellationToken);
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => LeaveAfter(transaction);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        LeaveAfter(transaction);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => LeaveAfter(transaction);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        LeaveAfter(transaction);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => LeaveAfter(transaction);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        LeaveAfter(transaction);
        return Task.CompletedTask;
    }

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        owners.AddOrUpdate(result, connection);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        owners.AddOrUpdate(result, connection);
        return ValueTask.FromResult(result);
    }

    private void LeaveAfter(DbTransaction transaction)
    {
        // Microsoft.Data.Sqlite clears transaction.Connection on commit, so the owner was noted at BEGIN.
        if (owners.TryGetValue(transaction, out var connection))
        {
            owners.Remove(transaction);
            Leave(connection);
        }
    }

    // Writes outside a transaction: around the one command (a reader's write ends with the reader).
    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        EnterAlone(command);
        return result;
    }

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await EnterAloneAsync(command, cancellationToken);
        return result;
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        LeaveAlone(command);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        LeaveAlone(command);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        EnterAlone(command);
        return result;
    }

    public async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await EnterAloneAsync(command, cancellationToken);
        return result;
    }

    public object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        LeaveAlone(command);
        return result;
    }

    public ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        LeaveAlone(command);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        EnterAlone(command);
        return result;
    }

    public async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await EnterAloneAsync(command, cancellationToken);
        return result;
    }

    public InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        LeaveAlone(command);
        return result;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => LeaveAlone(command);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        LeaveAlone(command);
        return Task.CompletedTask;
    }

    public void CommandCanceled(DbCommand command, CommandEndEventData eventData) => LeaveAlone(command);

    public Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        LeaveAlone(command);
        return Task.CompletedTask;
    }

    private void EnterAlone(DbCommand command)
    {
        if (WritesAlone(command) && command.Connection is { } connection)
        {
            Enter(connection);
        }
    }

    private ValueTask EnterAloneAsync(DbCommand command, CancellationToken ct) =>
        WritesAlone(command) && command.Connection is { } connection ? EnterAsync(connection, ct) : ValueTask.CompletedTask;

    private void LeaveAlone(DbCommand command)
    {
        if (command.Transaction is null && command.Connection is { } connection)
        {
            Leave(connection);
        }
    }

    public void Dispose() => gate.Dispose();
}
