using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Mnemo.Server.Assets;

/// <summary>
/// Tells <see cref="AssetReadCache"/> when an asset row may have changed on this instance, from what EF
/// Core says a command is, never from its SQL: after a SaveChanges of a context that tracks an asset,
/// after any <c>ExecuteUpdate</c>/<c>ExecuteDelete</c> (whatever its table: over-reporting only costs a
/// read), and after every commit (a write inside a transaction is seen by others only then). Every EF
/// Core context of the server goes through it, whichever code does the write.
/// </summary>
public sealed class AssetWriteWatch(AssetReadCache cache) : ISaveChangesInterceptor, IDbCommandInterceptor, IDbTransactionInterceptor
{
    private static readonly object Tracked = new();
    private readonly ConditionalWeakTable<DbContext, object> saving = new();

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saving(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Saving(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Saved(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => Saved(eventData.Context);

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return Task.CompletedTask;
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Executed(eventData);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Executed(eventData);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => cache.Invalidate();

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        cache.Invalidate();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Any asset the context tracks may be written, changed or not: SaveChanges detects changes only after
    /// this, and detecting them here too would cost a second pass over every tracked entity.
    /// </summary>
    private void Saving(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var tracker = context.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            if (tracker.Entries<Asset>().Any())
            {
                saving.AddOrUpdate(context, Tracked);
            }
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }

    /// <summary>After the save, its reader closed: outside a transaction the write has committed by now.</summary>
    private void Saved(DbContext? context)
    {
        if (context is not null && saving.Remove(context))
        {
            cache.Invalidate();
        }
    }

    private void Executed(CommandExecutedEventData eventData)
    {
        if (eventData.CommandSource is CommandSource.ExecuteUpdate or CommandSource.ExecuteDelete)
        {
            cache.Invalidate();
        }
    }
}
