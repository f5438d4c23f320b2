using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Work;

/// <summary>The lease columns every table of leased work has (jobs, video tasks, callbacks).</summary>
public interface ILeasedRow
{
    long Id { get; }
    int Attempts { get; }
    string? LeaseOwner { get; }
    DateTime? LeaseExpiresAt { get; }
}

/// <summary>One claimed row: which one, the attempt this is (1 for the first), and the worker holding it.</summary>
public sealed record Lease(long Id, int Attempts, string Owner);

/// <summary>
/// Claiming, renewing, ending and putting back the rows of one table of leased work. A row is runnable
/// when it waits and is due, or when the worker holding it let its lease run out (it crashed); a claim
/// takes the oldest runnable row. Renewing, ending and putting back write only while the worker still
/// holds the row, so a worker that lost its lease changes nothing.
/// </summary>
public sealed class LeaseTable<T>(TimeProvider time) where T : class, ILeasedRow
{
    /// <summary>The table's name in SQL, for the PostgreSQL claim.</summary>
    public required string Table { get; init; }

    public required double LeaseSeconds { get; init; }

    /// <summary>Waiting and due, or held under a lease that ran out, at the given time.</summary>
    public required Func<DateTime, Expression<Func<T, bool>>> Runnable { get; init; }

    /// <summary><see cref="Runnable"/> in PostgreSQL, with <c>{0}</c> for the time.</summary>
    public required string RunnableSql { get; init; }

    /// <summary>The row's state while a worker holds it.</summary>
    public required Expression<Func<T, bool>> Held { get; init; }

    /// <summary>What a claim writes besides the lease (the held state), given the time.</summary>
    public Action<UpdateSettersBuilder<T>, DateTime>? Taken { get; init; }

    /// <summary><see cref="Taken"/> in PostgreSQL, with <c>{0}</c> for the time.</summary>
    public string? TakenSql { get; init; }

    /// <summary>What putting a row back writes besides dropping the lease: the waiting state, when it is due again, the error.</summary>
    public required Action<UpdateSettersBuilder<T>, DateTime, string?, DateTime> Released { get; init; }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>The conditional update is the claim, so two workers never hold one row.</summary>
    public Task<Lease?> ClaimAsync(MnemoDb db, string owner, CancellationToken ct) =>
        db.Database.IsNpgsql() ? ClaimOnPostgresAsync(db, owner, ct) : ClaimOnSqliteAsync(db, owner, ct);

    /// <summary>
    /// One statement: the row lock of <c>FOR UPDATE SKIP LOCKED</c> keeps concurrent claimers (any
    /// instance) off the row being taken, and they move on to the next one instead of waiting.
    /// </summary>
    private async Task<Lease?> ClaimOnPostgresAsync(MnemoDb db, string owner, CancellationToken ct)
    {
        var now = Now;
        var taken = TakenSql is null ? "" : ", " + TakenSql;
        // The table and its conditions are constants in code; the values go as parameters {0}..{2}.
        var sql = $$"""
            UPDATE {{Table}} SET "LeaseOwner" = {1}, "LeaseExpiresAt" = {2}, "Attempts" = "Attempts" + 1{{taken}}
            WHERE "Id" = (
                SELECT "Id" FROM {{Table}}
                WHERE {{RunnableSql}}
                ORDER BY "Id"
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING "Id", "Attempts"
            """;
        var rows = await db.Database.SqlQueryRaw<ClaimedRow>(sql, now, owner, now.AddSeconds(LeaseSeconds)).ToListAsync(ct);
        return rows is [var row] ? new Lease(row.Id, row.Attempts, owner) : null;
    }

    /// <summary>SQLite has one writer at a time: read a candidate, then take it only if it is unchanged.</summary>
    private async Task<Lease?> ClaimOnSqliteAsync(MnemoDb db, string owner, CancellationToken ct)
    {
        for (var tries = 0; tries < 5; tries++)
        {
            var now = Now;
            var candidate = await db.Set<T>().AsNoTracking().Where(Runnable(now)).OrderBy(r => r.Id)
                .Select(r => new { r.Id, r.Attempts, r.LeaseExpiresAt })
                .FirstOrDefaultAsync(ct);
            if (candidate is null)
            {
                return null;
            }

            var until = now.AddSeconds(LeaseSeconds);
            var claimed = await db.Set<T>().Where(Runnable(now))
                .Where(r => r.Id == candidate.Id && r.LeaseExpiresAt == candidate.LeaseExpiresAt)
                .ExecuteUpdateAsync(s =>
                {
                    s.SetProperty(r => r.LeaseOwner, owner)
                        .SetProperty(r => r.LeaseExpiresAt, until)
                        .SetProperty(r => r.Attempts, r => r.Attempts + 1);
                    Taken?.Invoke(s, now);
                }, ct);
            if (claimed == 1)
            {
                return new Lease(candidate.Id, candidate.Attempts + 1, owner);
            }
        }

        return null;
    }

    /// <summary>The row, while this worker holds it.</summary>
    public IQueryable<T> HeldBy(MnemoDb db, Lease lease) =>
        db.Set<T>().Where(Held).Where(r => r.Id == lease.Id && r.LeaseOwner == lease.Owner);

    public Task<int> RenewAsync(MnemoDb db, Lease lease, CancellationToken ct)
    {
        var until = Now.AddSeconds(LeaseSeconds);
        return HeldBy(db, lease).ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAt, until), ct);
    }

    /// <summary>Ends the row with what <paramref name="ended"/> writes, only while this worker holds it; 0 means the lease was lost.</summary>
    public Task<int> EndAsync(MnemoDb db, Lease lease, Action<UpdateSettersBuilder<T>> ended, CancellationToken ct) =>
        HeldBy(db, lease).ExecuteUpdateAsync(s =>
        {
            s.SetProperty(r => r.LeaseOwner, (string?)null);
            ended(s);
        }, ct);

    /// <summary>Puts the row back, due again after <paramref name="delay"/> (shutdown, or a retry).</summary>
    public Task<int> ReleaseAsync(MnemoDb db, Lease lease, TimeSpan delay, string? error, CancellationToken ct)
    {
        var now = Now;
        return HeldBy(db, lease).ExecuteUpdateAsync(s =>
        {
            s.SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseExpiresAt, (DateTime?)null);
            Released(s, now + delay, error, now);
        }, ct);
    }

    private sealed class ClaimedRow
    {
        public long Id { get; init; }
        public int Attempts { get; init; }
    }
}
