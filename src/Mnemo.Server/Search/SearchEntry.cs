using Microsoft.EntityFrameworkCore;

namespace Mnemo.Server.Search;

public enum SearchEntryKind
{
    Chunk,
    Transcript,
    Name,
    Tag,
    Metadata,

    /// <summary>An object class seen in an image or over a span of a video (vision).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Stored by name in search_entries.kind.")]
    Object,

    /// <summary>A named person over a span they are seen in (People): their name, so a search for it finds the moments.</summary>
    Person,
}

/// <summary>
/// Entries of one kind a folder above Search derives for an asset (People: a named person's moments). The folder
/// registers it; <see cref="SearchIndex.ReindexAsync"/> adds them with the rest, <see cref="SearchIndex.ReindexKindAsync"/> alone.
/// </summary>
public sealed record IndexedEntries(SearchEntryKind Kind, Func<Storage.MnemoDb, long, CancellationToken, Task<IReadOnlyList<SearchEntry>>> ForAssetAsync);

/// <summary>One searchable piece of an asset: a document chunk (with its page), a transcript segment
/// (with its times), an object seen or a named person (with their times), the file name, a tag or a metadata value.</summary>
public sealed class SearchEntry
{
    public long Id { get; init; }
    public long AssetId { get; init; }
    public SearchEntryKind Kind { get; init; }
    public int ChunkIndex { get; init; }
    public required string Text { get; init; }
    public int? Page { get; init; }
    public double? StartTime { get; init; }
    public double? EndTime { get; init; }

    /// <summary>The text's unit-length vector (float32, little-endian), or null until it is embedded.</summary>
    public byte[]? Embedding { get; set; }
}

public static class SearchModel
{
    public static void Configure(ModelBuilder model) => model.Entity<SearchEntry>(e =>
    {
        e.ToTable("search_entries");
        e.Property(x => x.Id).HasColumnName("id");
        e.Property(x => x.AssetId).HasColumnName("asset_id");
        e.Property(x => x.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.ChunkIndex).HasColumnName("chunk_index");
        e.Property(x => x.Text).HasColumnName("text");
        e.Property(x => x.Page).HasColumnName("page");
        e.Property(x => x.StartTime).HasColumnName("start_time");
        e.Property(x => x.EndTime).HasColumnName("end_time");
        e.Property(x => x.Embedding).HasColumnName("embedding");
        e.HasIndex(x => x.AssetId);
        // What the backfill reads: small once everything is embedded (the metadata lines, never embedded, stay in it).
        e.HasIndex(x => x.Id, "ix_search_entries_unembedded").HasFilter("embedding IS NULL");
        e.HasOne<Assets.Asset>().WithMany().HasForeignKey(x => x.AssetId).OnDelete(DeleteBehavior.Cascade);
    });

    /// <summary>
    /// The FTS5 index over search_entries.text, kept in step by triggers, so an insert or delete of
    /// entries (a parse, a re-parse, a delete) changes what search finds in the same transaction.
    /// </summary>
    public const string SqliteFullText = """
        CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
            text, content='search_entries', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2');
        CREATE TRIGGER IF NOT EXISTS search_entries_ai AFTER INSERT ON search_entries BEGIN
            INSERT INTO search_fts(rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER IF NOT EXISTS search_entries_ad AFTER DELETE ON search_entries BEGIN
            INSERT INTO search_fts(search_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;
        DROP TRIGGER IF EXISTS search_entries_au;
        CREATE TRIGGER search_entries_au AFTER UPDATE OF text ON search_entries BEGIN
            INSERT INTO search_fts(search_fts, rowid, text) VALUES ('delete', old.id, old.text);
            INSERT INTO search_fts(rowid, text) VALUES (new.id, new.text);
        END;
        """;

    /// <summary>The same index on PostgreSQL: a stored tsvector column with a GIN index.</summary>
    public const string PostgresFullText = """
        ALTER TABLE search_entries ADD COLUMN IF NOT EXISTS tsv tsvector
            GENERATED ALWAYS AS (to_tsvector('english', text)) STORED;
        CREATE INDEX IF NOT EXISTS ix_search_entries_tsv ON search_entries USING GIN (tsv);
        """;
}
