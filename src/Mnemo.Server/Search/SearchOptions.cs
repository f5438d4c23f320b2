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

    /// <summary>Seconds an idle backfill waits before it looks again.</summary>
    public double BackfillIdleSeconds { get; set; } = 5;
}
