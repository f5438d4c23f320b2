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

    /// <summary>An in-flight key older than this (its server died mid-request) may be taken over by a retry.</summary>
    public double InFlightTimeoutMinutes { get; set; } = 60;

    /// <summary>After the endpoint, at most this much unread body is read to finish its hash; beyond it the key is released.</summary>
    public long MaxDrainBytes { get; set; } = 1024 * 1024;
}

/// <summary>The idempotency_keys table. Every call uses its own short-lived DbContext, never the request's.</summary>
public sealed class IdempotencyStore(IServiceScopeFactory scopes, IOptions<IdempotencyOptions> options, TimeProvider time)
{
    public sealed record Claim(long? ClaimedId, IdempotencyRecord? Existing);

    private IdempotencyOptions Options => options.Value;

    /// <summary>Inserts an in-flight row for the key, or returns the live row that already holds it.</summary>
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
                var stale = existing.ExpiresAt <= now
                    || (existing.State == IdempotencyState.InFlight && existing.CreatedAt < now.AddMinutes(-Options.InFlightTimeoutMinutes));
                if (!stale || attempt >= 3)
                {
                    return new Claim(null, existing);
                }

                await db.IdempotencyRecords.Where(r => r.Id == existing.Id).ExecuteDeleteAsync(ct);
                continue;
            }

            var record = new IdempotencyRecord
            {
                Scope = scope,
                Key = key,
                Method = method,
                Target = target,
                State = IdempotencyState.InFlight,
                CreatedAt = now,
                ExpiresAt = now.AddHours(Options.RetentionHours),
            };
            db.IdempotencyRecords.Add(record);
            try
            {
                await db.SaveChangesAsync(ct);
                return new Claim(record.Id, null);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another request claimed the key between our read and insert: read its row.
            }
        }
    }

    public async Task CompleteAsync(long id, string bodyHash, int status, string? contentType, string? location, byte[]? body)
    {
        await using var services = scopes.CreateAsyncScope();
        var db = services.ServiceProvider.GetRequiredService<MnemoDb>();
        await db.IdempotencyRecords.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.State, IdempotencyState.Done)
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

/// <summary>Deletes expired keys every ten minutes.</summary>
public sealed class IdempotencySweeper(IdempotencyStore store, ILogger<IdempotencySweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(10));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var deleted = await store.DeleteExpiredAsync(stoppingToken);
                if (deleted > 0)
                {
                    logger.LogInformation("Deleted {Count} expired idempotency keys", deleted);
                }
            }
            catch (Exception e) when (StoreFailures.IsUnavailable(e))
            {
                logger.LogWarning(e, "Could not delete expired idempotency keys; will retry");
            }
        }
    }
}
