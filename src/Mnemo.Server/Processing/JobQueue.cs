using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Processing;

/// <summary>The durable queue: rows in <c>jobs</c>. Enqueue joins the caller's unit of work.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue, of rows.")]
public sealed class JobQueue(JobSignal signal, TimeProvider time, IOptions<ProcessingOptions> options)
{
    public sealed record Claimed(long JobId, long AssetId, int Attempts, string Owner);

    private sealed class ClaimedRow
    {
        public long Id { get; init; }
        public long AssetId { get; init; }
        public int Attempts { get; init; }
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Adds a job for the asset unless one is already waiting or running; saved with the caller's changes.</summary>
    public async Task<Job?> EnqueueAsync(MnemoDb db, long assetId, CancellationToken ct)
    {
        if (await db.Set<Job>().AnyAsync(j => j.AssetId == assetId && j.State != JobState.Done, ct))
        {
            return null;
        }

        var job = new Job { AssetId = assetId, State = JobState.Queued, RunAfter = Now, CreatedAt = Now, UpdatedAt = Now };
        db.Set<Job>().Add(job);
        return job;
    }

    /// <summary>Wakes the workers once the enqueueing transaction has committed.</summary>
    public void Notify() => signal.Release();

    /// <summary>
    /// Takes the oldest runnable job: queued and due, or leased by a worker whose lease ran out (it
    /// crashed). The conditional update is the claim, so two workers never hold one job.
    /// </summary>
    public Task<Claimed?> ClaimAsync(MnemoDb db, string owner, CancellationToken ct) =>
        db.Database.IsNpgsql() ? ClaimOnPostgresAsync(db, owner, ct) : ClaimOnSqliteAsync(db, owner, ct);

    /// <summary>
    /// One statement: the row lock of <c>FOR UPDATE SKIP LOCKED</c> keeps concurrent claimers (any
    /// instance) off the row being taken, and they move on to the next one instead of waiting.
    /// </summary>
    private async Task<Claimed?> ClaimOnPostgresAsync(MnemoDb db, string owner, CancellationToken ct)
    {
        var now = Now;
        var until = now.AddSeconds(options.Value.LeaseSeconds);
        var queued = nameof(JobState.Queued);
        var leased = nameof(JobState.Leased);
        var rows = await db.Database.SqlQuery<ClaimedRow>($"""
            UPDATE jobs SET "State" = {leased}, "LeaseOwner" = {owner}, "LeaseExpiresAt" = {until},
                            "Attempts" = "Attempts" + 1, "UpdatedAt" = {now}
            WHERE "Id" = (
                SELECT "Id" FROM jobs
                WHERE ("State" = {queued} AND "RunAfter" <= {now}) OR ("State" = {leased} AND "LeaseExpiresAt" < {now})
                ORDER BY "Id"
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING "Id", "AssetId", "Attempts"
            """).ToListAsync(ct);
        return rows is [var row] ? new Claimed(row.Id, row.AssetId, row.Attempts, owner) : null;
    }

    /// <summary>SQLite has one writer at a time: read a candidate, then take it only if it is unchanged.</summary>
    private async Task<Claimed?> ClaimOnSqliteAsync(MnemoDb db, string owner, CancellationToken ct)
    {
        for (var tries = 0; tries < 5; tries++)
        {
            var now = Now;
            var candidate = await db.Set<Job>().AsNoTracking()
                .Where(j => (j.State == JobState.Queued && j.RunAfter <= now) || (j.State == JobState.Leased && j.LeaseExpiresAt < now))
                .OrderBy(j => j.Id)
                .Select(j => new { j.Id, j.AssetId, j.Attempts, j.State, j.LeaseExpiresAt })
                .FirstOrDefaultAsync(ct);
            if (candidate is null)
            {
                return null;
            }

            var until = now.AddSeconds(options.Value.LeaseSeconds);
            var claimed = await db.Set<Job>()
                .Where(j => j.Id == candidate.Id && j.State == candidate.State && j.LeaseExpiresAt == candidate.LeaseExpiresAt)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.State, JobState.Leased)
                    .SetProperty(j => j.LeaseOwner, owner)
                    .SetProperty(j => j.LeaseExpiresAt, until)
                    .SetProperty(j => j.Attempts, j => j.Attempts + 1)
                    .SetProperty(j => j.UpdatedAt, now), ct);
            if (claimed == 1)
            {
                return new Claimed(candidate.Id, candidate.AssetId, candidate.Attempts + 1, owner);
            }
        }

        return null;
    }

    public Task<int> RenewAsync(MnemoDb db, Claimed job, CancellationToken ct)
    {
        var until = Now.AddSeconds(options.Value.LeaseSeconds);
        return db.Set<Job>().Where(j => j.Id == job.JobId && j.LeaseOwner == job.Owner && j.State == JobState.Leased)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, until), ct);
    }

    /// <summary>Marks the job done, only while this worker still holds it; 0 means the lease was lost.</summary>
    public Task<int> CompleteAsync(MnemoDb db, Claimed job, string? error, CancellationToken ct)
    {
        var now = Now;
        return db.Set<Job>().Where(j => j.Id == job.JobId && j.LeaseOwner == job.Owner && j.State == JobState.Leased)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.State, JobState.Done)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LastError, error)
                .SetProperty(j => j.UpdatedAt, now), ct);
    }

    /// <summary>Puts the job back (shutdown, or a retry after <paramref name="delay"/>).</summary>
    public Task<int> ReleaseAsync(MnemoDb db, Claimed job, TimeSpan delay, string? error, CancellationToken ct)
    {
        var now = Now;
        var runAfter = now + delay;
        return db.Set<Job>().Where(j => j.Id == job.JobId && j.LeaseOwner == job.Owner && j.State == JobState.Leased)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.State, JobState.Queued)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null)
                .SetProperty(j => j.RunAfter, runAfter)
                .SetProperty(j => j.LastError, error)
                .SetProperty(j => j.UpdatedAt, now), ct);
    }
}

/// <summary>Tells idle workers in this process that a job was committed.</summary>
public sealed class JobSignal : IDisposable
{
    private readonly SemaphoreSlim semaphore = new(0, int.MaxValue);

    public void Release() => semaphore.Release();

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => semaphore.WaitAsync(timeout, ct);

    public void Dispose() => semaphore.Dispose();
}
