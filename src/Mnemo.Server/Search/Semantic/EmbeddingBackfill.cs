using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Assets;
using Mnemo.Server.Storage;
using Mnemo.Server.Work;

namespace Mnemo.Server.Search.Semantic;

/// <summary>
/// Embeds the entries that have no vector yet: every entry of the assets parsed before this version (after an
/// upgrade), and those a parse could not embed. Durable by construction: it reads what still lacks a vector,
/// so a killed instance resumes where it stopped, and writes a vector only where none is (two instances
/// doing the same round waste work but never count it twice). Bumping the asset's <c>UpdatedAt</c> tells
/// every instance's vector index to reload it.
/// </summary>
public sealed partial class EmbeddingBackfill(
    IServiceScopeFactory scopes, Embeddings embeddings, IOptions<SearchOptions> options, TimeProvider time, ILogger<EmbeddingBackfill> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (!embeddings.Enabled)
        {
            return;
        }

        var idle = TimeSpan.FromSeconds(options.Value.BackfillIdleSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await RoundAsync(stoppingToken) == 0 && !await WorkerLoops.SleepAsync(idle, stoppingToken))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var level = StoreFailures.LevelOf(e);
                RoundFailed(logger, level, e);
                await WorkerLoops.SleepAsync(idle, stoppingToken);
            }
        }
    }

    /// <summary>One batch: how many entries got a vector (0 when nothing waits).</summary>
    public async Task<int> RoundAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MnemoDb>();
        var waiting = await (
            from e in db.SearchEntries.AsNoTracking()
            join a in db.Set<Asset>() on e.AssetId equals a.Id
            where e.Embedding == null && e.Kind != SearchEntryKind.Metadata && a.DeletedAt == null && a.Status == AssetStatus.Ready
            orderby e.Id
            select new { e.Id, e.AssetId, e.Text }).Take(options.Value.BackfillBatch).ToListAsync(ct);
        if (waiting.Count == 0)
        {
            return 0;
        }

        var vectors = await embeddings.EmbedAsync(waiting.Select(w => w.Text), ct);
        var now = time.GetUtcNow().UtcDateTime;
        var written = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var asset in waiting.GroupBy(w => w.AssetId))
        {
            var count = 0;
            foreach (var entry in asset)
            {
                var bytes = embeddings.BytesOf(vectors, entry.Text);
                count += await db.SearchEntries.Where(e => e.Id == entry.Id && e.Embedding == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.Embedding, bytes), ct);
            }

            if (count > 0)
            {
                await db.Set<Asset>().Where(a => a.Id == asset.Key)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.EmbeddingCount, a => a.EmbeddingCount + count).SetProperty(a => a.UpdatedAt, now), ct);
            }

            written += count;
        }

        await transaction.CommitAsync(ct);
        Embedded(logger, written, waiting.Select(w => w.AssetId).Distinct().Count());
        return Math.Max(written, 1); // a round that lost every row to another instance still looks again at once
    }

    [LoggerMessage(LogLevel.Information, "Backfill embedded {Entries} search entries of {Assets} assets")]
    private static partial void Embedded(ILogger logger, int entries, int assets);

    [LoggerMessage("Embedding backfill round failed; trying again")]
    private static partial void RoundFailed(ILogger logger, LogLevel level, Exception exception);
}
