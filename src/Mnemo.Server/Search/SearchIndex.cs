using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Assets;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Search;

/// <summary>
/// The memory index: entries per asset, rebuilt whole from what parsing stored whenever it changes,
/// and gone with the asset; queried by words with SQLite FTS5 (BM25) or PostgreSQL (ts_rank_cd) and by
/// meaning with the entries' vectors (<see cref="Semantic.SearchVectors"/>), fused into one calibrated
/// 0..1 score (see docs/search.md).
/// </summary>
public sealed partial class SearchIndex(
    MnemoDb db, Semantic.Embeddings embeddings, Semantic.SearchVectors vectors, CommonWords common, Microsoft.Extensions.Options.IOptions<SearchOptions> options)
{
    public sealed record Hit(
        long Id, long AssetId, Guid FileId, string FileName, string? MimeType, SearchEntryKind Kind, int ChunkIndex, string Text,
        int? Page, double? StartTime, double? EndTime, double? Duration, double Score, string? ReferenceId, string? MetadataJson);

    /// <summary>A search inside one project environment (a key's scope: nothing outside it is ever read).</summary>
    public sealed record Query(Guid EnvironmentId, string Text, int TopK, double MinScore)
    {
        public string? Namespace { get; init; }
        public string? Tag { get; init; }
        public string? ReferenceId { get; init; }
        public int? PageMin { get; init; }
        public int? PageMax { get; init; }
        /// <summary>Only these assets; null searches them all, an empty set finds nothing.</summary>
        public IReadOnlyCollection<long>? AssetIds { get; init; }
        public bool TranscriptsOnly { get; init; }
    }

    private sealed record Row(
        long Id, long AssetId, Guid FileId, string FileName, string? MimeType, string Kind, int ChunkIndex, string Text,
        int? Page, double? StartTime, double? EndTime, double? Duration, string? ReferenceId, string? MetadataJson, double Bm25)
    {
        public Hit ToHit(double score) => new(Id, AssetId, FileId, FileName, MimeType, Enum.Parse<SearchEntryKind>(Kind), ChunkIndex, Text,
            Page, StartTime, EndTime, Duration, score, ReferenceId, MetadataJson);
    }

    private const double CoverageWeight = 0.7;

    /// <summary>The BM25 part saturates at half its weight when the sum reaches this much per query term.</summary>
    private const double Bm25HalfPerTerm = 2.0;

    /// <summary>ts_rank_cd's cover density is about a tenth of BM25's scale for the same match.</summary>
    private const double RankHalfPerTermPostgres = 0.1;

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();

    /// <summary>
    /// Rebuilds an asset's entries from what parsing stored (chunks, transcript) and what the uploader
    /// said (name, tags, metadata), each with its vector from <paramref name="embedded"/> when it is there
    /// (the backfill embeds the rest). Idempotent; an asset that is not ready has none. Call it inside the
    /// transaction that changed the asset, after its chunks are saved; the asset's row must be saved after it
    /// (its <c>EmbeddingCount</c> is set here).
    /// </summary>
    public async Task ReindexAsync(long assetId, IReadOnlyDictionary<string, float[]>? embedded, CancellationToken ct)
    {
        await RemoveAsync(assetId, ct);
        var asset = await db.Set<Asset>().FirstOrDefaultAsync(a => a.Id == assetId, ct);
        if (asset is not { Status: AssetStatus.Ready, DeletedAt: null })
        {
            if (asset is not null)
            {
                asset.EmbeddingCount = 0;
            }

            return;
        }

        var chunks = await db.Set<AssetChunk>().AsNoTracking().Where(c => c.AssetId == assetId).ToListAsync(ct);
        var entries = chunks.Select(c => new SearchEntry
        {
            AssetId = assetId,
            Kind = c.IsTranscript ? SearchEntryKind.Transcript : Understanding.SeenChunks.IsSeen(c) ? SearchEntryKind.Object : SearchEntryKind.Chunk,
            ChunkIndex = c.Index,
            Text = c.Content,
            Page = c.PageNumber,
            StartTime = c.StartSeconds,
            EndTime = c.EndSeconds,
        }).ToList();
        entries.Add(new SearchEntry { AssetId = assetId, Kind = SearchEntryKind.Name, Text = asset.OriginalFilename });
        entries.AddRange(TagsOf(asset).Select((tag, i) => new SearchEntry { AssetId = assetId, Kind = SearchEntryKind.Tag, ChunkIndex = i, Text = tag }));
        var metadata = string.Join(' ', new[] { asset.Media.CameraModel, asset.ReferenceId, MetadataValues(asset.MetadataJson) }
            .Where(v => !string.IsNullOrWhiteSpace(v)));
        if (metadata.Length > 0)
        {
            entries.Add(new SearchEntry { AssetId = assetId, Kind = SearchEntryKind.Metadata, Text = metadata });
        }

        foreach (var entry in entries)
        {
            if (embedded is not null && Semantic.Embeddings.Embeds(entry.Kind) && embedded.ContainsKey(entry.Text))
            {
                entry.Embedding = embeddings.BytesOf(embedded, entry.Text);
            }
        }

        asset.EmbeddingCount = entries.Count(e => e.Embedding is not null);
        db.SearchEntries.AddRange(entries);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The texts <see cref="ReindexAsync"/> embeds for an asset, besides its chunks: its name and tags.</summary>
    public static IEnumerable<string> NameAndTags(Asset asset) => [asset.OriginalFilename, .. TagsOf(asset)];

    private static string[] TagsOf(Asset asset) =>
        (asset.Tags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>After the commit that reindexed the asset: its vectors answer in this instance at once (others follow within a sync).</summary>
    public Task PublishAsync(long assetId, CancellationToken ct) =>
        vectors.Loaded ? Semantic.VectorSync.ReloadAsync(db, vectors, assetId, ct) : Task.CompletedTask;

    public Task<int> RemoveAsync(long assetId, CancellationToken ct) =>
        db.SearchEntries.Where(e => e.AssetId == assetId).ExecuteDeleteAsync(ct);

    public static IReadOnlyList<string> Terms(string text) =>
        [.. Word().Matches(text).Select(m => m.Value.ToLowerInvariant()).Distinct()];

    /// <summary>
    /// The words of a question that can tell passages apart: common English function words are dropped
    /// (they match nearly every chunk, cost the most to look up and drown the coverage score), unless
    /// the question holds nothing else.
    /// </summary>
    public static IReadOnlyList<string> QueryTerms(string text)
    {
        var terms = Terms(text);
        var content = terms.Where(t => !StopWords.Contains(t)).ToList();
        return content.Count > 0 ? content : terms;
    }

    private static readonly HashSet<string> StopWords =
    [
        "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "before", "being",
        "but", "by", "can", "could", "did", "do", "does", "doing", "for", "from", "had", "has", "have", "having", "he", "her",
        "here", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "may", "me", "might", "more", "most",
        "must", "my", "no", "nor", "not", "of", "on", "or", "our", "shall", "she", "should", "so", "some", "such", "than",
        "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "too", "under", "up", "us",
        "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
    ];

    /// <summary>
    /// The best entries for the question: candidates by words (BM25) and by meaning (the nearest vectors,
    /// filtered while scanning), each scored on both scales where it can be. A hit's score is the higher of the
    /// two (a passage holding every query word, or one that answers the question in other words, reaches 0.7);
    /// the order is reciprocal rank fusion of the two sides. A passage found by meaning alone shows only when
    /// it is related (<see cref="Semantic.Calibration.RelatedFrom"/>). <see cref="SearchOptions.Ranking"/> can
    /// keep either side alone (for comparison, or without a model).
    /// </summary>
    public async Task<IReadOnlyList<Hit>> SearchAsync(Query query, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(query.Text) || query.AssetIds is { Count: 0 })
        {
            return [];
        }

        var ranking = options.Value.Ranking;
        var terms = QueryTerms(query.Text);
        var half = db.Database.IsSqlite() ? Bm25HalfPerTerm : RankHalfPerTermPostgres;
        // The question is embedded on the thread pool while the database ranks by words: the two sides' latencies overlap.
        var embedding = ranking != Ranking.Lexical && vectors.Loaded ? embeddings.QuestionAsync(query.Text, ct) : Task.FromResult<float[]?>(null);
        var lexical = ranking == Ranking.Semantic || terms.Count == 0 ? [] : await LexicalAsync(query, terms, Math.Max(query.TopK * 4, 200), ct);
        var question = await embedding;
        var candidates = new Dictionary<long, Candidate>();
        for (var i = 0; i < lexical.Count; i++)
        {
            var row = lexical[i];
            var cosine = question is null ? null : vectors.Cosine(row.AssetId, row.Id, question);
            candidates[row.Id] = new Candidate(row, Score(row, terms, half), LexicalRank: i + 1,
                cosine is { } c ? Semantic.Calibration.Score(c, Enum.Parse<SearchEntryKind>(row.Kind)) : null, SemanticRank: null);
        }

        if (question is not null)
        {
            var nearest = vectors.Nearest(query.EnvironmentId, question, Math.Max(query.TopK * 4, 50), await VectorFilterAsync(query, ct));
            var missing = nearest.Where(n => !candidates.ContainsKey(n.EntryId)).Select(n => n.EntryId).ToList();
            // Read through the same filters as the words' side: a deleted asset, or another environment's, never answers.
            var rows = missing.Count == 0 ? [] : (await RowsAsync(query, null, missing, missing.Count, null, ct)).ToDictionary(r => r.Id);
            for (var i = 0; i < nearest.Count; i++)
            {
                var n = nearest[i];
                if (candidates.TryGetValue(n.EntryId, out var known))
                {
                    candidates[n.EntryId] = known with { SemanticRank = i + 1 };
                }
                else if (rows.TryGetValue(n.EntryId, out var row))
                {
                    candidates[n.EntryId] = new Candidate(row, null, null, Semantic.Calibration.Score(n.Cosine, Enum.Parse<SearchEntryKind>(row.Kind)), i + 1);
                }
            }
        }

        // Ranks on each side over every candidate that side scored (a words candidate's cosine counts too).
        var ranked = candidates.Values.ToList();
        var byWords = ranked.Where(c => c.Lexical is not null).OrderByDescending(c => c.Lexical).ThenBy(c => c.LexicalRank)
            .Select((c, i) => (c.Row.Id, Rank: i + 1)).ToDictionary(x => x.Id, x => x.Rank);
        var byMeaning = ranked.Where(c => c.Semantic is not null).OrderByDescending(c => c.Semantic).ThenBy(c => c.Row.Id)
            .Select((c, i) => (c.Row.Id, Rank: i + 1)).ToDictionary(x => x.Id, x => x.Rank);
        ranked = [.. ranked.Select(c => c with
        {
            LexicalRank = byWords.TryGetValue(c.Row.Id, out var w) ? w : null,
            SemanticRank = byMeaning.TryGetValue(c.Row.Id, out var m) ? m : null,
        })];
        return [.. ranked
            .Select(c => (Candidate: c, Score: Math.Round(ranking switch
            {
                Ranking.Lexical => c.Lexical ?? 0,
                Ranking.Semantic => c.Semantic ?? 0,
                _ when c.Lexical is null => c.Semantic >= Semantic.Calibration.RelatedFrom ? c.Semantic.Value : -1,
                _ => Math.Max(c.Lexical.Value, c.Semantic ?? 0),
            }, 4)))
            .Where(x => x.Score >= query.MinScore && x.Score >= 0 && (ranking != Ranking.Semantic || x.Candidate.Semantic is not null))
            .OrderByDescending(x => ranking == Ranking.Hybrid ? x.Candidate.Fused : x.Score)
            .ThenByDescending(x => x.Score)
            .ThenBy(x => x.Candidate.Row.Id)
            .Take(query.TopK)
            .Select(x => x.Candidate.Row.ToHit(x.Score))];
    }

    /// <summary>An entry found by words, by meaning or both, with its score and rank on each side.</summary>
    private sealed record Candidate(Row Row, double? Lexical, int? LexicalRank, double? Semantic, int? SemanticRank)
    {
        /// <summary>
        /// Reciprocal rank fusion. k = 10, not the usual 60: on bench/search (bench/search/fusion.py) it kept the words'
        /// recall on worded questions and nearly doubled it on paraphrased ones; 60 lost on both.
        /// </summary>
        public double Fused => (LexicalRank is { } l ? 1.0 / (10 + l) : 0) + (SemanticRank is { } s ? 1.0 / (10 + s) : 0);
    }

    /// <summary>The assets a vector search may look at, read once per search when the query filters by asset.</summary>
    private async Task<Semantic.VectorFilter> VectorFilterAsync(Query query, CancellationToken ct)
    {
        HashSet<long>? allowed = null;
        if (query.Namespace is not null || query.Tag is { Length: > 0 } || query.ReferenceId is not null || query.AssetIds is not null)
        {
            var assets = db.Set<Asset>().AsNoTracking().Where(a => a.EnvironmentId == query.EnvironmentId && a.DeletedAt == null);
            if (query.Namespace is { } ns)
            {
                assets = assets.Where(a => a.Namespace == ns);
            }

            if (query.Tag is { Length: > 0 } tag)
            {
                var wrapped = "," + tag + ",";
                assets = assets.Where(a => ("," + a.Tags + ",").Contains(wrapped));
            }

            if (query.ReferenceId is { } reference)
            {
                assets = assets.Where(a => a.ReferenceId == reference);
            }

            if (query.AssetIds is { } ids)
            {
                assets = assets.Where(a => ids.Contains(a.Id));
            }

            allowed = [.. await assets.Select(a => a.Id).ToListAsync(ct)];
        }

        return new Semantic.VectorFilter(allowed, query.TranscriptsOnly, query.PageMin, query.PageMax);
    }

    /// <summary>
    /// The <paramref name="limit"/> best entries by BM25 through the query's filters. On SQLite, FTS5 first ranks
    /// alone and keeps 8·limit (joining every match to its entry and asset was most of the time on large stores);
    /// when the filters leave fewer than <paramref name="limit"/> of those, the whole match set is ranked again
    /// through them, so a filter never loses a hit a wider search would have found.
    /// </summary>
    private async Task<List<Row>> LexicalAsync(Query query, IReadOnlyList<string> terms, int limit, CancellationToken ct)
    {
        // A selective filter (some files, a reference, a tag, pages, transcripts) would leave few of the best
        // matches overall: rank through it at once.
        var selective = query.AssetIds is not null || query.ReferenceId is not null || query.Tag is { Length: > 0 }
            || query.PageMin is not null || query.PageMax is not null || query.TranscriptsOnly;
        if (!db.Database.IsSqlite())
        {
            return await RowsAsync(query, terms, null, limit, null, ct);
        }

        var rare = await common.RareAsync(db, terms, ct);
        if (selective)
        {
            return await RowsAsync(query, rare, null, limit, null, ct);
        }

        var best = await RowsAsync(query, rare, null, limit, limit * 8, ct);
        return best.Count >= limit ? best : await RowsAsync(query, rare, null, limit, null, ct);
    }

    /// <summary>
    /// Entries with their asset's fields, through the query's filters: those matching <paramref name="terms"/>
    /// (best BM25 first; on SQLite among the <paramref name="bestOf"/> best matches when given), or those of <paramref name="ids"/>.
    /// </summary>
    private async Task<List<Row>> RowsAsync(Query query, IReadOnlyList<string>? terms, IReadOnlyList<long>? ids, int limit, int? bestOf, CancellationToken ct)
    {
        var postgres = !db.Database.IsSqlite();
        var sql = new StringBuilder("SELECT e.id AS \"Id\", e.asset_id AS \"AssetId\", a.\"FileId\" AS \"FileId\", a.\"OriginalFilename\" AS \"FileName\", "
            + "a.\"MimeType\" AS \"MimeType\", e.kind AS \"Kind\", e.chunk_index AS \"ChunkIndex\", e.text AS \"Text\", e.page AS \"Page\", "
            + "e.start_time AS \"StartTime\", e.end_time AS \"EndTime\", a.\"DurationSeconds\" AS \"Duration\", "
            + "a.\"ReferenceId\" AS \"ReferenceId\", a.\"MetadataJson\" AS \"MetadataJson\", ");
        var parameters = new List<object>();
        if (terms is not null)
        {
            sql.Append(postgres
                ? "ts_rank_cd(e.tsv, q)::float8 AS \"Bm25\" FROM search_entries e JOIN assets a ON a.\"Id\" = e.asset_id, to_tsquery('english', {0}) q WHERE e.tsv @@ q"
                : bestOf is { } cap
                ? "m.b AS \"Bm25\" FROM (SELECT rowid AS rid, -bm25(search_fts) AS b FROM search_fts WHERE search_fts MATCH {0} ORDER BY bm25(search_fts) LIMIT "
                    + cap.ToString(System.Globalization.CultureInfo.InvariantCulture) + ") m JOIN search_entries e ON e.id = m.rid JOIN assets a ON a.\"Id\" = e.asset_id WHERE 1 = 1"
                : "-bm25(search_fts) AS \"Bm25\" FROM search_fts JOIN search_entries e ON e.id = search_fts.rowid JOIN assets a ON a.\"Id\" = e.asset_id WHERE search_fts MATCH {0}");
            // Terms are letters and digits only: FTS5 gets each quoted and OR-ed, PostgreSQL a tsquery of ORs.
            parameters.Add(postgres ? string.Join(" | ", terms) : string.Join(" OR ", terms.Select(t => "\"" + t + "\"")));
        }
        else
        {
            sql.Append(postgres ? "0::float8" : "0.0").Append(" AS \"Bm25\" FROM search_entries e JOIN assets a ON a.\"Id\" = e.asset_id WHERE 1 = 1");
        }

        void Where(string condition, object value)
        {
            sql.Append(" AND ").Append(condition.Replace("{}", "{" + parameters.Count + "}"));
            parameters.Add(value);
        }

        void In(string column, IEnumerable<long> values)
        {
            var list = values.ToList();
            sql.Append(" AND ").Append(column).Append(" IN (").AppendJoin(',', list.Select((_, i) => "{" + (parameters.Count + i) + "}")).Append(')');
            parameters.AddRange(list.Cast<object>());
        }

        Where("a.\"EnvironmentId\" = {}", query.EnvironmentId);
        sql.Append(" AND a.\"DeletedAt\" IS NULL");

        if (query.Namespace is { } ns)
        {
            Where("a.\"Namespace\" = {}", ns);
        }

        if (query.Tag is { Length: > 0 } tag)
        {
            Where("(',' || a.\"Tags\" || ',') LIKE {}", "%," + tag + ",%");
        }

        if (query.ReferenceId is { } reference)
        {
            Where("a.\"ReferenceId\" = {}", reference);
        }

        if (query.PageMin is { } min)
        {
            Where("e.page >= {}", min);
        }

        if (query.PageMax is { } max)
        {
            Where("e.page <= {}", max);
        }

        if (query.TranscriptsOnly)
        {
            Where("e.kind = {}", nameof(SearchEntryKind.Transcript));
        }

        if (query.AssetIds is { Count: > 0 } assets)
        {
            In("e.asset_id", assets);
        }

        if (ids is not null)
        {
            In("e.id", ids);
        }
        else
        {
            // Rank a generous candidate set, then re-score with term coverage and cut.
            sql.Append(postgres || bestOf is not null ? " ORDER BY \"Bm25\" DESC" : " ORDER BY bm25(search_fts)");
        }

        sql.Append(" LIMIT ").Append(limit);
        return await db.Database.SqlQueryRaw<Row>(sql.ToString(), parameters.ToArray()).ToListAsync(ct);
    }

    /// <summary>
    /// Mostly coverage (the share of query terms the entry holds), the rest saturated rank
    /// (rank / (rank + c·terms)): absolute, so thresholds mean the same on a tiny corpus and a large one.
    /// An entry holding every query word scores at least <see cref="CoverageWeight"/> (0.7), the Memic
    /// SDK's default min_score (docs/search.md).
    /// </summary>
    private static double Score(Row row, IReadOnlyList<string> terms, double halfPerTerm)
    {
        var words = Terms(row.Text);
        var covered = terms.Count(t => words.Any(w => SameStem(w, t)));
        var coverage = (double)covered / terms.Count;
        var rank = Math.Max(0, row.Bm25);
        var saturated = rank / (rank + halfPerTerm * terms.Count);
        return Math.Round(CoverageWeight * coverage + (1 - CoverageWeight) * saturated, 4);
    }

    /// <summary>A cheap stand-in for the stemmer the index uses: the same word, or the same first letters.</summary>
    private static bool SameStem(string word, string term)
    {
        if (word == term)
        {
            return true;
        }

        var stem = Math.Max(4, Math.Min(word.Length, term.Length) - 3);
        return word.Length >= stem && term.Length >= stem && string.CompareOrdinal(word, 0, term, 0, stem) == 0;
    }

    private static string? MetadataValues(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return string.Join(' ', Values(document.RootElement));
        }
        catch (JsonException)
        {
            return null;
        }

        static IEnumerable<string> Values(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Values(p.Value)),
            JsonValueKind.Array => e.EnumerateArray().SelectMany(Values),
            JsonValueKind.String => [e.GetString()!],
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => [e.GetRawText()],
            _ => [],
        };
    }
}
