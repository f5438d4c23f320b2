using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mnemo.Server.Storage;

namespace Mnemo.Server.Search;

/// <summary>
/// Which query words are too common to look up by in a large SQLite index. FTS5 floors the IDF of a word held by half
/// the entries or more, so it adds nothing to BM25, yet FTS5 scores every entry that holds it: in a library of one
/// kind of text (licenses, one company's reports) the common words hold most entries, and ranking by them took most
/// of a search's time. Such words are left out of the MATCH (the rarest word always stays); the score still counts
/// them (<see cref="SearchIndex"/> checks every query word against each candidate's text). Each word's entry count
/// is read once and kept <see cref="Keep"/>; below <see cref="SearchOptions.CommonWordMinEntries"/> entries nothing is left out.
/// </summary>
public sealed class CommonWords(IOptions<SearchOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(10);
    private const int MaxWords = 50_000;

    private readonly ConcurrentDictionary<string, (long Entries, DateTimeOffset At)> counts = new();

    /// <summary>The words to match by: <paramref name="terms"/> without those held by at least <see cref="SearchOptions.CommonWordShare"/> of the entries.</summary>
    public async Task<IReadOnlyList<string>> RareAsync(MnemoDb db, IReadOnlyList<string> terms, CancellationToken ct)
    {
        var (share, minEntries) = (options.Value.CommonWordShare, options.Value.CommonWordMinEntries);
        if (terms.Count < 2 || share >= 1)
        {
            return terms;
        }

        var total = await CountAsync(db, "", ct);
        if (total < minEntries)
        {
            return terms;
        }

        var held = new List<(string Term, long Entries)>(terms.Count);
        foreach (var term in terms)
        {
            held.Add((term, await CountAsync(db, term, ct)));
        }

        var rare = held.Where(h => h.Entries < share * total).Select(h => h.Term).ToList();
        return rare.Count > 0 ? rare : [held.MinBy(h => h.Entries).Term];
    }

    /// <summary>Entries holding <paramref name="term"/> (all entries for the empty term), as of at most <see cref="Keep"/> ago.</summary>
    private async Task<long> CountAsync(MnemoDb db, string term, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (counts.TryGetValue(term, out var known) && now - known.At < Keep)
        {
            return known.Entries;
        }

        var entries = term.Length == 0
            ? await db.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM search_entries").SingleAsync(ct)
            : await db.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM search_fts WHERE search_fts MATCH {0}", "\"" + term + "\"").SingleAsync(ct);
        if (counts.Count >= MaxWords)
        {
            counts.Clear();
        }

        counts[term] = (entries, now);
        return entries;
    }
}
