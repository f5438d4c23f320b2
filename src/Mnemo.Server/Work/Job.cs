using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Mnemo.Server.Work;

public enum JobState
{
    Queued,
    Leased,
    Done,
}

/// <summary>Work on one asset (its parse). Committed with the request that asks for it; claimed with a lease.</summary>
public sealed class Job : ILeasedRow
{
    public long Id { get; init; }
    public long AssetId { get; init; }
    public JobState State { get; set; }
    public int Attempts { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseExpiresAt { get; set; }
    public DateTime RunAfter { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>The jobs table as leased work: queued and due, or leased by a worker whose lease ran out; oldest first.</summary>
    public static LeaseTable<Job> Table(TimeProvider time, double leaseSeconds) => new(time)
    {
        Table = "jobs",
        LeaseSeconds = leaseSeconds,
        Runnable = now => j => (j.State == JobState.Queued && j.RunAfter <= now) || (j.State == JobState.Leased && j.LeaseExpiresAt < now),
        RunnableSql = """("State" = 'Queued' AND "RunAfter" <= {0}) OR ("State" = 'Leased' AND "LeaseExpiresAt" < {0})""",
        Held = j => j.State == JobState.Leased,
        Taken = (s, now) => s.SetProperty(j => j.State, JobState.Leased).SetProperty(j => j.UpdatedAt, now),
        TakenSql = "\"State\" = 'Leased', \"UpdatedAt\" = {0}",
        Released = (s, runAfter, error, now) => s
            .SetProperty(j => j.State, JobState.Queued)
            .SetProperty(j => j.RunAfter, runAfter)
            .SetProperty(j => j.LastError, error)
            .SetProperty(j => j.UpdatedAt, now),
    };

    /// <summary>What ending a job writes (with <see cref="LeaseTable{T}.EndAsync"/>).</summary>
    public static Action<UpdateSettersBuilder<Job>> Done(string? error, DateTime now) => s => s
        .SetProperty(j => j.State, JobState.Done)
        .SetProperty(j => j.LastError, error)
        .SetProperty(j => j.UpdatedAt, now);
}

/// <summary>Queues work on an asset in the caller's unit of work, and wakes the workers once it committed.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue, of rows.")]
public sealed class JobQueue(WorkSignal<Job> signal, TimeProvider time)
{
    /// <summary>Adds a job for the asset unless one is already waiting or running; saved with the caller's changes.</summary>
    public async Task<Job?> EnqueueAsync(DbContext db, long assetId, CancellationToken ct)
    {
        if (await db.Set<Job>().AnyAsync(j => j.AssetId == assetId && j.State != JobState.Done, ct))
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var job = new Job { AssetId = assetId, State = JobState.Queued, RunAfter = now, CreatedAt = now, UpdatedAt = now };
        db.Set<Job>().Add(job);
        return job;
    }

    /// <summary>Call once the enqueueing transaction has committed.</summary>
    public void Notify() => signal.Release();
}

public static class WorkModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<Job>(e =>
        {
            e.ToTable("jobs");
            e.Property(j => j.State).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(j => new { j.State, j.RunAfter });
            e.HasIndex(j => j.AssetId);
        });
    }
}
