using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Assets;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Search;

/// <summary>
/// The memory index: entries per asset, rebuilt whole from what parsing stored whenever it changes,
/// and gone with the asset; queried with SQLite FTS5 (BM25) or PostgreSQL (ts_rank_cd), scores
/// normalised to 0..1 (see docs/search.md).
/// </summary>
public sealed partial class SearchIndex(MnemoDb db)
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
        int? Page, double? StartTime, double? EndTime, double? Duration, string? ReferenceId, string? MetadataJson, double Bm25);

    private const double CoverageWeight = 0.7;

    /// <summary>The BM25 part saturates at half its weight when the sum reaches this much per query term.</summary>
    private const double Bm25HalfPerTerm = 2.0;

    /// <summary>ts_rank_cd's cover density is about a tenth of BM25's scale for the same match.</summary>
    private const double RankHalfPerTermPostgres = 0.1;

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();

    /// <summary>
    /// Rebuilds an asset's entries from what parsing stored (chunks, transcript) and what the uploader
    /// said (name, tags, metadata). Idempotent; an asset that is not ready has none. Call it inside the
    /// transaction that changed the asset, after its chunks are saved.
    /// </summary>
    public async Task ReindexAsync(long assetId, CancellationToken ct)
    {
        await RemoveAsync(assetId, ct);
        var asset = await db.Set<Asset>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == assetId, ct);
        if (asset is not { Status: AssetStatus.Ready, DeletedAt: null })
        {
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
        entries.AddRange((asset.Tags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select((tag, i) => new SearchEntry { AssetId = assetId, Kind = SearchEntryKind.Tag, ChunkIndex = i, Text = tag }));
        var metadata = string.Join(' ', new[] { asset.Media.CameraModel, asset.ReferenceId, MetadataValues(asset.MetadataJson) }
            .Where(v => !string.IsNullOrWhiteSpace(v)));
        if (metadata.Length > 0)
        {
            entries.Add(new SearchEntry { AssetId = assetId, Kind = SearchEntryKind.Metadata, Text = metadata });
        }

        db.SearchEntries.AddRange(entries);
        await db.SaveChangesAsync(ct);
    }

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

    public async Task<IReadOnlyList<Hit>> SearchAsync(Query query, CancellationToken ct)
    {
        var terms = QueryTerms(query.Text);
        if (terms.Count == 0 || query.AssetIds is { Count: 0 })
        {
            return [];
        }

        var postgres = !db.Database.IsSqlite();
        var sql = new StringBuilder("SELECT e.id AS \"Id\", e.asset_id AS \"AssetId\", a.\"FileId\" AS \"FileId\", a.\"OriginalFilename\" AS \"FileName\", "
            + "a.\"MimeType\" AS \"MimeType\", e.kind AS \"Kind\", e.chunk_index AS \"ChunkIndex\", e.text AS \"Text\", e.page AS \"Page\", "
            + "e.start_time AS \"StartTime\", e.end_time AS \"EndTime\", a.\"DurationSeconds\" AS \"Duration\", "
            + "a.\"ReferenceId\" AS \"ReferenceId\", a.\"MetadataJson\" AS \"MetadataJson\", ");
        sql.Append(postgres
            ? "ts_rank_cd(e.tsv, q)::float8 AS \"Bm25\" FROM search_entries e JOIN assets a ON a.\"Id\" = e.asset_id, to_tsquery('english', {0}) q WHERE e.tsv @@ q"
            : "-bm25(search_fts) AS \"Bm25\" FROM search_fts JOIN search_entries e ON e.id = search_fts.rowid JOIN assets a ON a.\"Id\" = e.asset_id WHERE search_fts MATCH {0}");
        // Terms are letters and digits only: FTS5 gets each quoted and OR-ed, PostgreSQL a tsquery of ORs.
        var parameters = new List<object> { postgres ? string.Join(" | ", terms) : string.Join(" OR ", terms.Select(t => "\"" + t + "\"")) };
        void Where(string condition, object value)
        {
            sql.Append(" AND ").Append(condition.Replace("{}", "{" + parameters.Count + "}"));
            parameters.Add(value);
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
            sql.Append(" AND e.asset_id IN (").AppendJoin(',', assets.Select((_, i) => "{" + (parameters.Count + i) + "}")).Append(')');
            parameters.AddRange(assets.Cast<object>());
        }

        // Rank a generous candidate set, then re-score with term coverage and cut.
        sql.Append(postgres ? " ORDER BY \"Bm25\" DESC" : " ORDER BY bm25(search_fts)").Append(" LIMIT ").Append(Math.Max(query.TopK * 4, 200));
        var rows = await db.Database.SqlQueryRaw<Row>(sql.ToString(), parameters.ToArray()).ToListAsync(ct);
        var half = postgres ? RankHalfPerTermPostgres : Bm25HalfPerTerm;
        return [.. rows
            .Select(r => new Hit(r.Id, r.AssetId, r.FileId, r.FileName, r.MimeType, Enum.Parse<SearchEntryKind>(r.Kind), r.ChunkIndex, r.Text,
                r.Page, r.StartTime, r.EndTime, r.Duration, Score(r, terms, half), r.ReferenceId, r.MetadataJson))
            .Where(h => h.Score >= query.MinScore)
            .OrderByDescending(h => h.Score)
            .ThenBy(h => h.Id)
            .Take(query.TopK)];
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
