using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Search;

/// <summary>
/// The memory index: entries per asset, replaced whole on every (re-)parse and gone with the asset;
/// queried with SQLite FTS5 and BM25, scores normalised to 0..1 (see docs/search.md).
/// </summary>
public sealed partial class SearchIndex(MnemoDb db)
{
    public sealed record Hit(long Id, Guid AssetId, SearchEntryKind Kind, int ChunkIndex, string Text, int? Page, double? StartTime, double? EndTime, double Score);

    public sealed record Query(Guid AccountId, string Text, int TopK, double MinScore, IReadOnlyCollection<Guid>? AssetIds = null, IReadOnlyCollection<SearchEntryKind>? Kinds = null);

    private sealed record Row(long Id, Guid AssetId, string Kind, int ChunkIndex, string Text, int? Page, double? StartTime, double? EndTime, double Bm25);

    /// <summary>The BM25 part saturates at half its weight when the sum reaches this much per query term.</summary>
    private const double Bm25HalfPerTerm = 2.0;

    /// <summary>ts_rank_cd's cover density is about a tenth of BM25's scale for the same match.</summary>
    private const double RankHalfPerTermPostgres = 0.1;

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();

    /// <summary>Replaces every entry of an asset (idempotent: a re-run of a parse leaves one copy).</summary>
    public async Task ReplaceAsync(Guid assetId, Guid accountId, IEnumerable<SearchEntry> entries, CancellationToken ct)
    {
        await RemoveAsync(assetId, ct);
        db.SearchEntries.AddRange(entries.Select(e => new SearchEntry
        {
            AssetId = assetId, AccountId = accountId, Kind = e.Kind, ChunkIndex = e.ChunkIndex, Text = e.Text,
            Page = e.Page, StartTime = e.StartTime, EndTime = e.EndTime,
        }));
        await db.SaveChangesAsync(ct);
    }

    public Task<int> RemoveAsync(Guid assetId, CancellationToken ct) =>
        db.SearchEntries.Where(e => e.AssetId == assetId).ExecuteDeleteAsync(ct);

    public static IReadOnlyList<string> Terms(string text) =>
        [.. Word().Matches(text).Select(m => m.Value.ToLowerInvariant()).Distinct()];

    public async Task<IReadOnlyList<Hit>> SearchAsync(Query query, CancellationToken ct)
    {
        var terms = Terms(query.Text);
        if (terms.Count == 0)
        {
            return [];
        }

        var postgres = !db.Database.IsSqlite();
        var sql = new StringBuilder(postgres
            ? """
              SELECT e.id AS "Id", e.asset_id AS "AssetId", e.kind AS "Kind", e.chunk_index AS "ChunkIndex", e.text AS "Text",
                     e.page AS "Page", e.start_time AS "StartTime", e.end_time AS "EndTime", ts_rank_cd(e.tsv, q)::float8 AS "Bm25"
              FROM search_entries e, to_tsquery('english', {0}) q
              WHERE e.tsv @@ q AND e.account_id = {1}
              """
            : """
              SELECT e.id AS Id, e.asset_id AS AssetId, e.kind AS Kind, e.chunk_index AS ChunkIndex, e.text AS Text,
                     e.page AS Page, e.start_time AS StartTime, e.end_time AS EndTime, -bm25(search_fts) AS Bm25
              FROM search_fts JOIN search_entries e ON e.id = search_fts.rowid
              WHERE search_fts MATCH {0} AND e.account_id = {1}
              """);
        // Terms are letters and digits only; FTS5 gets each quoted and OR-ed, PostgreSQL a tsquery of ORs.
        var match = postgres ? string.Join(" | ", terms) : string.Join(" OR ", terms.Select(t => "\"" + t + "\""));
        var parameters = new List<object> { match, query.AccountId };
        if (query.AssetIds is { Count: > 0 } assets)
        {
            sql.Append(" AND e.asset_id IN (").AppendJoin(',', assets.Select((_, i) => "{" + (i + 2) + "}")).Append(')');
            parameters.AddRange(assets.Cast<object>());
        }

        // Rank a generous candidate set, then re-score with term coverage and cut.
        sql.Append(postgres ? " ORDER BY \"Bm25\" DESC" : " ORDER BY bm25(search_fts)").Append(" LIMIT ").Append(Math.Max(query.TopK * 4, 200));
        var rows = await db.Database.SqlQueryRaw<Row>(sql.ToString(), parameters.ToArray()).ToListAsync(ct);
        return [.. rows
            .Select(r => new Hit(r.Id, r.AssetId, Enum.Parse<SearchEntryKind>(r.Kind), r.ChunkIndex, r.Text, r.Page, r.StartTime, r.EndTime,
                Score(r, terms, postgres ? RankHalfPerTermPostgres : Bm25HalfPerTerm)))
            .Where(h => query.Kinds is null || query.Kinds.Contains(h.Kind))
            .Where(h => h.Score >= query.MinScore)
            .OrderByDescending(h => h.Score)
            .ThenBy(h => h.Id)
            .Take(query.TopK)];
    }

    /// <summary>
    /// Half coverage (the share of query terms the entry holds), half saturated BM25
    /// (bm25 / (bm25 + 2·terms)): absolute, so thresholds mean the same on a tiny corpus and a large one.
    /// </summary>
    private static double Score(Row row, IReadOnlyList<string> terms, double halfPerTerm)
    {
        var words = Terms(row.Text);
        var covered = terms.Count(t => words.Any(w => SameStem(w, t)));
        var coverage = (double)covered / terms.Count;
        var bm25 = Math.Max(0, row.Bm25);
        var saturated = bm25 / (bm25 + halfPerTerm * terms.Count);
        return Math.Round(0.5 * coverage + 0.5 * saturated, 4);
    }

    /// <summary>A cheap stand-in for the porter stemmer the index uses: the same word, or the same first letters.</summary>
    private static bool SameStem(string word, string term)
    {
        if (word == term)
        {
            return true;
        }

        var stem = Math.Max(4, Math.Min(word.Length, term.Length) - 3);
        return word.Length >= stem && term.Length >= stem && string.CompareOrdinal(word, 0, term, 0, stem) == 0;
    }
}
