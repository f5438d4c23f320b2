using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Accounts;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Assets;

/// <summary>What a list of assets may be narrowed by; every surface maps its own fields onto it.</summary>
public sealed record AssetFilter
{
    public string? Namespace { get; init; }
    public bool AnyNamespace { get; init; }
    public string? NameContains { get; init; }
    public long? Id { get; init; }
    public IReadOnlyCollection<AssetStatus>? Statuses { get; init; }

    /// <summary>One of the asset's comma-separated tags, matched whole.</summary>
    public string? Tag { get; init; }

    /// <summary>A surface's own reading of status (memic's step names), as a query over the asset row.</summary>
    public Expression<Func<Asset, bool>>? Where { get; init; }
}

public sealed record AssetPage(IReadOnlyList<Asset> Items, int Total);

/// <summary>The read side of assets for every surface: lists, chunks, transcripts (understanding: <c>UnderstandingQueries</c>).</summary>
public sealed class AssetQueries(MnemoDb db)
{
    /// <summary>Live assets of the key's project environment: every surface sees only these.</summary>
    public IQueryable<Asset> Live(Caller caller) => db.Set<Asset>().AsNoTracking()
        .Where(a => a.EnvironmentId == caller.EnvironmentId && a.DeletedAt == null);

    /// <summary>Newest first, one page, with the total before paging.</summary>
    public async Task<AssetPage> ListAsync(Caller caller, AssetFilter filter, int page, int size, CancellationToken ct)
    {
        var query = Live(caller);
        if (!filter.AnyNamespace)
        {
            query = query.Where(a => a.Namespace == filter.Namespace);
        }

        if (!string.IsNullOrEmpty(filter.NameContains))
        {
            query = query.Where(a => a.OriginalFilename.Contains(filter.NameContains));
        }

        if (filter.Id is { } id)
        {
            query = query.Where(a => a.Id == id);
        }

        if (filter.Statuses is { } statuses)
        {
            query = query.Where(a => statuses.Contains(a.Status));
        }

        if (!string.IsNullOrEmpty(filter.Tag))
        {
            var tag = filter.Tag;
            query = query.Where(a => a.Tags != null && ("," + a.Tags + ",").Contains("," + tag + ","));
        }

        if (filter.Where is { } where)
        {
            query = query.Where(where);
        }

        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(a => a.Id).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        return new AssetPage(items, total);
    }

    /// <summary>The ids of live assets with these file ids (memic's file filter).</summary>
    public async Task<List<long>> IdsOfFilesAsync(Caller caller, IReadOnlyCollection<Guid> fileIds, CancellationToken ct) =>
        await Live(caller).Where(a => fileIds.Contains(a.FileId)).Select(a => a.Id).ToListAsync(ct);

    /// <summary>
    /// The caller's live assets whose metadata has <c>category</c> and/or <c>document_type</c> equal to these
    /// (exactly, as the Memic SDK sends them). Read as text, narrowed by a LIKE on the value, matched as JSON.
    /// </summary>
    public async Task<List<long>> IdsWithMetadataAsync(Caller caller, string? category, string? documentType, CancellationToken ct)
    {
        var candidates = Live(caller).Where(a => a.MetadataJson != null);
        foreach (var value in new[] { category, documentType }.OfType<string>())
        {
            candidates = candidates.Where(a => a.MetadataJson!.Contains(value));
        }

        var rows = await candidates.Select(a => new { a.Id, a.MetadataJson }).ToListAsync(ct);
        return [.. rows.Where(r =>
        {
            var metadata = FileMetadata.Of(r.MetadataJson);
            return (category is null || metadata.Category == category) && (documentType is null || metadata.DocumentType == documentType);
        }).Select(r => r.Id)];
    }

    /// <summary>The asset of a file id in any account (the operator's routes), or 0.</summary>
    public Task<long> IdOfFileAsync(Guid fileId, CancellationToken ct) =>
        db.Set<Asset>().Where(a => a.FileId == fileId).Select(a => a.Id).FirstOrDefaultAsync(ct);

    public IQueryable<AssetChunk> Chunks() => db.Set<AssetChunk>().AsNoTracking();

    /// <summary>Every chunk of an asset: its text in order, then its transcript.</summary>
    public Task<List<AssetChunk>> ChunksAsync(long assetId, CancellationToken ct) =>
        Chunks().Where(c => c.AssetId == assetId).OrderBy(c => c.IsTranscript).ThenBy(c => c.Index).ToListAsync(ct);

    public Task<List<AssetChunk>> TranscriptAsync(long assetId, CancellationToken ct) =>
        Chunks().Where(c => c.AssetId == assetId && c.IsTranscript).OrderBy(c => c.Index).ToListAsync(ct);
}
