using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Idempotency;

public sealed class IdempotencyOptions
{
    /// <summary>How long a key is remembered.</summary>
    public double RetentionHours { get; set; } = 24;

    /// <summary>Responses up to this size are kept for replay; a larger one makes a replay answer duplicate_request.</summary>
    public int MaxStoredResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// An in-flight key is leased for this long and renewed every third of it while its request runs; when
    /// its instance dies mid-request, a retry may take the key over once the lease has run out.
    /// </summary>
    public double InFlightLeaseSeconds { get; set; } = 30;

    /// <summary>After the endpoint, at most this much unread body is read to finish its hash; beyond it the key is released.</summary>
    public long MaxDrainBytes { get; set; } = 1024 * 1024;
}

/// <summary>The idempotency_keys table. Every call uses its own short-lived DbContext, never the request's.</summary>
public sealed class IdempotencyStore(IServiceScopeFactory scopes, IOptions<IdempotencyOptions> options, TimeProvider time)
{
    public sealed record Claim(long? ClaimedId, IdempotencyRecord? Existing);

    /// <summary>The in-flight keys this instance holds, whose leases it renews.</summary>
    private readonly ConcurrentDictionary<long, byte> held = new();

    private IdempotencyOptions Options => options.Value;

    private DateTime LeaseEnd(DateTime now) => now.AddSeconds(Options.InFlightLeaseSeconds);

    /// <summary>
    /// Inserts an in-flight row for the key (replacing an expired one), or takes over an in-flight row
    /// whose lease ran out (one conditional UPDATE: of two retries, one wins), or returns the live row
    /// that holds it.
    /// </summary>
    public async Task<Claim> ClaimAsync(string scope, string key, string method, string target, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var services = scopes.CreateAsyncScope();
            var db = services.ServiceProvider.GetRequiredService<MnemoDb>();
            var now = time.GetUtcNow().UtcDateTime;
            var existing = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Scope == scope && r.Key == key, ct);
            if (existing is not null)
            {
                if (existing.ExpiresAt > now || attempt >= 3)
                {
                    return new Claim(null, existing);
                }

                if (existing.State == IdempotencyState.Done)
                {
                    // A new operation under a forgotten key: a new row (and id) of its own.
                    await db.IdempotencyRecords.Where(r => r.Id == existing.Id && r.ExpiresAt == existing.ExpiresAt).ExecuteDeleteAsync(ct);
                    continue;
                }

                // The same operation, retried after its instance died: it keeps the row's id, which its charges refer to.
                var until = LeaseEnd(now);
                var taken = await db.IdempotencyRecords.Where(r => r.Id == existing.Id && r.ExpiresAt == existing.ExpiresAt && r.ExpiresAt <= now)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(r => r.State, IdempotencyState.InFlight)
                        .SetProperty(r => r.Method, method)
                        .SetProperty(r => r.Target, target)
                        .SetProperty(r => r.BodyHash, (string?)null)
                        .SetProperty(r => r.Status, (int?)null)
                        .SetProperty(r => r.ContentType, (string?)null)
                        .SetProperty(r => r.Location, (string?)null)
                        .SetProperty(r => r.Body, (byte[]?)null)
                        .SetProperty(r => r.BodyKept, false)
                        .SetProperty(r => r.CreatedAt, now)
                        .SetProperty(r => r.ExpiresAt, until), ct);
                if (taken == 1)
                {
                    return Held(existing.Id);
                }

                continue; // another retry took it, or its owner finished: read it again
            }

            var record = new IdempotencyRecord
            {
                Scope = scope,
                Key = key,
                Method = method,
                Target = target,
                State = IdempotencyState.InFlight,
                CreatedAt = now,
                ExpiresAt = LeaseEnd(now),
            };
            db.IdempotencyRecords.Add(record);
            try
            {
                await db.SaveChangesAsync(ct);
                return Held(record.Id);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another request claimed the key between our read and insert: read its row.
            }
        }
    }

    private Claim Held(long id)
    {
        held[id] = 0;
        return new Claim(id, null);
    }

    /// <summary>Extends the lease of every key this instance holds in flight.</summary>
    public async Task RenewAsync(CancellationToken ct)
    {
        var ids = held.Keys.ToList();
        if (ids.Count == 0)
        {
            return;
        }

        await using var services = scopes.CreateAsyncScope();
        var db = services.ServiceProvider.GetRequiredService<MnemoDb>();
        var until = LeaseEnd(time.GetUtcNow().UtcDateTime);
        await db.IdempotencyRecords.Where(r => ids.Contains(r.Id) && r.State == IdempotencyState.InFlight)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ExpiresAt, until), ct);
    }

    public async Task CompleteAsync(long id, string bodyHash, int status, string? contentType, string? location, byte[]? body)
    {
        await using var services = scopes.CreateAsyncScope();
        var db = services.ServiceProvider.GetRequiredService<MnemoDb>();
        held.TryRemove(id, out _);
        var expires = time.GetUtcNow().UtcDateTime.AddHours(Options.RetentionHours);
        await db.IdempotencyRecords.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.State, IdempotencyState.Done)
            .SetProperty(r => r.ExpiresAt, expires)
            .SetProperty(r => r.BodyHash, bodyHash)
            .SetProperty(r => r.Status, status)
            .SetProperty(r => r.ContentType, contentType)
            .SetProperty(r => r.Location, location)
            .SetProperty(r => r.Body, body)
            .SetProperty(r => r.BodyKept, body != null));
    }

    /// <summary>Frees the key: the request failed, so no work was done and a retry may run it.</summary>
    public async Task ReleaseAsync(long id)
    {
        held.TryRemove(id, out _);
        await using var services = scopes.CreateAsyncScope();
        var db = services.ServiceProvider.GetRequiredService<MnemoDb>();
        await db.IdempotencyRecords.Where(r => r.Id == id).ExecuteDeleteAsync();
    }

    public async Task<int> DeleteExpiredAsync(CancellationToken ct)
    {
        await using var services = scopes.CreateAsyncScope();
        var db = services.ServiceProvider.GetRequiredService<MnemoDb>();
        var now = time.GetUtcNow().UtcDateTime;
        return await db.IdempotencyRecords.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(ct);
    }
}

/// <summary>Renews the leases of this instance's in-flight keys, and deletes expired keys every ten minutes.</summary>
public sealed partial class IdempotencySweeper(IdempotencyStore store, IOptions<IdempotencyOptions> options, TimeProvider time, ILogger<IdempotencySweeper> logger)
    : BackgroundService
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.2, options.Value.InFlightLeaseSeconds / 3)), time);
        var nextSweep = time.GetUtcNow() + SweepEvery;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await store.RenewAsync(stoppingToken);
                    if (time.GetUtcNow() >= nextSweep)
                    {
                        nextSweep = time.GetUtcNow() + SweepEvery;
                        var deleted = await store.DeleteExpiredAsync(stoppingToken);
                        if (deleted > 0)
                        {
                            Deleted(logger, deleted);
                        }
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Whatever failed, the loop goes on: a stopped renewal would let in-flight keys lapse.
                    var level = StoreFailures.LevelOf(e);
                    RoundFailed(logger, level, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(LogLevel.Information, "Deleted {Count} expired idempotency keys")]
    private static partial void Deleted(ILogger logger, int count);

    [LoggerMessage("Could not renew or sweep idempotency keys; will retry")]
    private static partial void RoundFailed(ILogger logger, LogLevel level, Exception exception);
}
