using System.Data.Common;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Assets;
using Mnemo.Server.Storage;
using Mnemo.Server.Work;

namespace Mnemo.Server.Search.Semantic;

/// <summary>
/// Keeps <see cref="SearchVectors"/> in step with the database: loads every stored vector at start, then
/// every <see cref="SearchOptions.SyncMilliseconds"/> reads the assets changed lately (by any instance) and
/// reloads or drops those whose vectors changed. An asset's vectors change only with its row
/// (a parse's commit, the backfill, a delete all set <c>UpdatedAt</c>), so that column is the change feed.
/// </summary>
public sealed partial class VectorSync(
    IServiceScopeFactory scopes, SearchVectors vectors, Embeddings embeddings, Microsoft.Extensions.Options.IOptions<SearchOptions> options,
    TimeProvider time, ILogger<VectorSync> logger) : BackgroundService
{
    /// <summary>
    /// A commit stamps <c>UpdatedAt</c> when it starts and becomes visible when it ends; rows are read again
    /// for this long after their stamp, so a long commit (or another instance's clock a little behind) is never missed.
    /// </summary>
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(60);

    private const string EntryColumns =
        "SELECT e.id, e.asset_id, e.kind, e.page, e.embedding, a.\"EnvironmentId\", a.\"UpdatedAt\" FROM search_entries e JOIN assets a ON a.\"Id\" = e.asset_id ";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (!embeddings.Enabled)
        {
            return; // no question is ever embedded: stored vectors would only take memory
        }

        var since = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var started = time.GetUtcNow().UtcDateTime;
                await LoadAllAsync(stoppingToken);
                vectors.MarkLoaded();
                since = started - Overlap;
                Loaded(logger, vectors.Count, vectors.AssetCount, (time.GetUtcNow().UtcDateTime - started).TotalSeconds);
                break;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                SyncFailed(logger, e);
                await WorkerLoops.SleepAsync(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }

        var every = TimeSpan.FromMilliseconds(options.Value.SyncMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await WorkerLoops.SleepAsync(every, stoppingToken))
                {
                    return;
                }

                since = await CatchUpAsync(since, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                SyncFailed(logger, e);
                await WorkerLoops.SleepAsync(every, stoppingToken);
            }
        }
    }

    private async Task LoadAllAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MnemoDb>();
        await ReadAsync(db, vectors, EntryColumns + "WHERE e.embedding IS NOT NULL AND a.\"DeletedAt\" IS NULL AND a.\"Status\" = 'Ready' ORDER BY e.asset_id, e.id", null, ct);
    }

    private async Task<DateTime> CatchUpAsync(DateTime since, CancellationToken ct)
    {
        var started = time.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MnemoDb>();
        var changed = await db.Set<Asset>().AsNoTracking().Where(a => a.UpdatedAt >= since)
            .Select(a => new { a.Id, a.UpdatedAt, a.EmbeddingCount, a.Status, a.DeletedAt })
            .ToListAsync(ct);
        foreach (var asset in changed)
        {
            var known = vectors.Of(asset.Id);
            if (asset.DeletedAt is not null || asset.Status != AssetStatus.Ready || asset.EmbeddingCount == 0)
            {
                vectors.Remove(asset.Id);
            }
            else if (known is null || known.UpdatedAt != asset.UpdatedAt || known.Count != asset.EmbeddingCount)
            {
                await ReloadAsync(db, vectors, asset.Id, ct);
            }
        }

        return started - Overlap;
    }

    /// <summary>Reads one asset's vectors again (also called after this instance commits them).</summary>
    public static async Task ReloadAsync(MnemoDb db, SearchVectors vectors, long assetId, CancellationToken ct)
    {
        vectors.Remove(assetId);
        await ReadAsync(db, vectors, EntryColumns + "WHERE e.asset_id = @asset AND e.embedding IS NOT NULL AND a.\"DeletedAt\" IS NULL AND a.\"Status\" = 'Ready' ORDER BY e.id", assetId, ct);
    }

    /// <summary>Streams entries ordered by asset, putting each asset's vectors as one block.</summary>
    private static async Task ReadAsync(MnemoDb db, SearchVectors vectors, string sql, long? assetId, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(ct);
        }

        try
        {
            await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // fixed SQL; the one value is a parameter
            command.CommandText = sql;
#pragma warning restore CA2100
            if (assetId is { } id)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@asset";
                parameter.Value = id;
                command.Parameters.Add(parameter);
            }

            await using var reader = await command.ExecuteReaderAsync(ct);
            var block = new Block();
            while (await reader.ReadAsync(ct))
            {
                var asset = reader.GetInt64(1);
                if (asset != block.AssetId)
                {
                    block.PutInto(vectors);
                    block = new Block { AssetId = asset, EnvironmentId = reader.GetGuid(5), UpdatedAt = reader.GetDateTime(6) };
                }

                block.Add(reader);
            }

            block.PutInto(vectors);
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    private sealed class Block
    {
        private readonly List<long> ids = [];
        private readonly List<SearchEntryKind> kinds = [];
        private readonly List<int> pages = [];
        private readonly List<float> matrix = [];

        public long AssetId { get; init; } = -1;
        public Guid EnvironmentId { get; init; }
        public DateTime UpdatedAt { get; init; }

        public void Add(DbDataReader reader)
        {
            ids.Add(reader.GetInt64(0));
            kinds.Add(Enum.Parse<SearchEntryKind>(reader.GetString(2)));
            pages.Add(reader.IsDBNull(3) ? AssetVectors.NoPage : reader.GetInt32(3));
            matrix.AddRange(MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(4)));
        }

        public void PutInto(SearchVectors vectors)
        {
            if (AssetId >= 0)
            {
                vectors.Put(new AssetVectors(AssetId, EnvironmentId, DateTime.SpecifyKind(UpdatedAt, DateTimeKind.Unspecified),
                    [.. ids], [.. kinds], [.. pages], [.. matrix]));
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Vector index loaded: {Vectors} vectors of {Assets} assets in {Seconds:0.0} s")]
    private static partial void Loaded(ILogger logger, long vectors, int assets, double seconds);

    [LoggerMessage(LogLevel.Warning, "Vector index sync failed; trying again")]
    private static partial void SyncFailed(ILogger logger, Exception exception);
}
