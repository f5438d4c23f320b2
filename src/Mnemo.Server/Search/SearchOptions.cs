namespace Mnemo.Server.Search;

/// <summary>How search ranks: by words (BM25), by meaning (vectors), or both fused (the default).</summary>
public enum Ranking
{
    Hybrid,
    Lexical,
    Semantic,
}

/// <summary>Bound from <c>Mnemo:Search</c>; the embedding model from <c>Mnemo:Search:Embedder</c>.</summary>
public sealed class SearchOptions
{
    public Ranking Ranking { get; set; } = Ranking.Hybrid;

    /// <summary>How often the vector index reads what other instances (and the backfill) changed.</summary>
    public int SyncMilliseconds { get; set; } = 300;

    /// <summary>Entries the backfill embeds per round (existing assets after an upgrade, entries a parse could not embed).</summary>
    public int BackfillBatch { get; set; } = 64;

    /// <summary>
    /// On SQLite, a query word held by at least this share of the entries is not looked up by (it adds nothing to
    /// BM25 from 0.5 up; see <see cref="CommonWords"/>); 1 looks up every word.
    /// </summary>
    public double CommonWordShare { get; set; } = 0.5;

    /// <summary>Entries from which <see cref="CommonWordShare"/> applies: below, FTS5 ranks every word quickly.</summary>
    public long CommonWordMinEntries { get; set; } = 10_000;

    /// <summary>Seconds an idle backfill waits before it looks again.</summary>
    public double BackfillIdleSeconds { get; set; } = 5;
}
