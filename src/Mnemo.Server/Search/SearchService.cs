using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Accounts;
using Mnemo.Server.Assets;
using Mnemo.Server.Billing;

namespace Mnemo.Server.Search;

/// <summary>A transcript segment holding the phrase, with its asset's name.</summary>
public sealed record TranscriptHit(long AssetId, string FileName, int Index, string Content, double Start, double End);

public sealed record TranscriptHits(IReadOnlyList<TranscriptHit> Items, int Total);

/// <summary>
/// Every search a caller pays for, on every surface (v1 search and transcripts, memic search, prompt
/// rendering with retrieval): the price is reserved once, under the request's idempotency reference,
/// then the memory is searched in the caller's project environment.
/// </summary>
public sealed class SearchService(
    SearchIndex index, AssetQueries assets, SearchCharge charge,
    Semantic.Embeddings embeddings, Microsoft.Extensions.Options.IOptions<SearchOptions> options, Images.ImageSearch images)
{
    /// <summary>How searches are answered: <c>hybrid</c> (words and meaning), <c>keyword</c> or <c>semantic</c>.</summary>
    public string Route => options.Value.Ranking switch
    {
        Ranking.Lexical => "keyword",
        _ when !embeddings.Enabled => "keyword",
        Ranking.Semantic => "semantic",
        _ => "hybrid",
    };

    /// <summary>Ranked hits for <paramref name="query"/>; its environment is always the caller's.</summary>
    public async Task<IReadOnlyList<SearchIndex.Hit>> SearchAsync(Caller caller, SearchIndex.Query query, CancellationToken ct)
    {
        await charge.PayAsync(caller, ct);
        return await index.SearchAsync(query with { EnvironmentId = caller.EnvironmentId }, ct);
    }

    /// <summary>
    /// Images and video moments that look like the query picture, in the caller's environment; paid like any search,
    /// once the model is known to run (a server without it answers 503 and charges nothing).
    /// </summary>
    public async Task<IReadOnlyList<Images.ImageSearch.Hit>> SearchByImageAsync(Caller caller, Images.ImageSearch.Query query, CancellationToken ct)
    {
        images.EnsureAvailable();
        await charge.PayAsync(caller, ct);
        return await images.SearchAsync(query with { EnvironmentId = caller.EnvironmentId }, ct);
    }

    /// <summary>Transcript segments of ready assets in a namespace that hold the phrase (exact, case-insensitive).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1862",
        Justification = "EF Core translates ToLower().Contains to SQL on both providers; the StringComparison overload does not translate.")]
    public async Task<TranscriptHits> SearchTranscriptsAsync(Caller caller, string? ns, string phrase, int page, int size, CancellationToken ct)
    {
        await charge.PayAsync(caller, ct);
        var lower = phrase.ToLowerInvariant();
        var matches =
            from asset in assets.Live(caller).Where(a => a.Namespace == ns && a.Status == AssetStatus.Ready)
            join chunk in assets.Chunks().Where(c => c.IsTranscript) on asset.Id equals chunk.AssetId
            where chunk.Content.ToLower().Contains(lower)
            orderby asset.Id, chunk.Index
            select new TranscriptHit(asset.Id, asset.OriginalFilename, chunk.Index, chunk.Content, chunk.StartSeconds ?? 0, chunk.EndSeconds ?? 0);
        var total = await matches.CountAsync(ct);
        var items = await matches.Skip((page - 1) * size).Take(size).ToListAsync(ct);
        return new TranscriptHits(items, total);
    }
}
