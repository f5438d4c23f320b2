using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Mnemo.Bench.Scale;

/// <summary>
/// Writes N chunks straight into a stopped server's SQLite file, in assets of 500 chunks: each asset a copy of
/// the template's row (the account's environment, a ready document) with a new file id and an old
/// <c>UpdatedAt</c>, each chunk a <c>search_entries</c> row of kind Chunk with its synthetic vector. The
/// full-text index fills itself through the table's insert trigger, as a parse's insert does.
/// </summary>
public static class Seeder
{
    /// <summary>Old enough that the vector index's change feed never reads these assets again after start.</summary>
    private const string Stamp = "2025-01-01 00:00:00";

    private const int AssetsPerTransaction = 20;

    public static int Run(Options options)
    {
        var path = options.Text("db");
        var chunks = options.Number("chunks", 10_000);
        var perAsset = options.Number("per-asset", 500);
        var template = options.Text("template");
        var idsOut = options.Text("ids-out");
        var seed = options.Number("seed", 42);
        var clock = Stopwatch.StartNew();

        var corpus = new Corpus(seed);
        var vectors = new SyntheticVectors(seed, options.Number("clusters", 2000), spread: 0.6f);
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;");

        var (templateId, upper) = Template(connection, template);
        var copied = CopiedColumns(connection);
        using var insertAsset = connection.CreateCommand();
        insertAsset.CommandText =
            $"INSERT INTO assets ({string.Join(", ", copied.Select(Quote))}, \"FileId\", \"OriginalFilename\", \"Size\", \"Status\", \"Kind\", "
            + "\"ChunkCount\", \"EmbeddingCount\", \"CreatedAt\", \"UpdatedAt\", \"DeletedAt\") "
            + $"SELECT {string.Join(", ", copied.Select(Quote))}, $file, $name, $size, 'Ready', 'Document', $n, $n, $stamp, $stamp, NULL "
            + "FROM assets WHERE \"Id\" = $template; SELECT last_insert_rowid();";
        var file = insertAsset.Parameters.Add("$file", SqliteType.Text);
        var name = insertAsset.Parameters.Add("$name", SqliteType.Text);
        var size = insertAsset.Parameters.Add("$size", SqliteType.Integer);
        var count = insertAsset.Parameters.Add("$n", SqliteType.Integer);
        insertAsset.Parameters.AddWithValue("$stamp", Stamp);
        insertAsset.Parameters.AddWithValue("$template", templateId);

        using var insertEntry = connection.CreateCommand();
        insertEntry.CommandText = "INSERT INTO search_entries (asset_id, kind, chunk_index, text, embedding) VALUES ($asset, 'Chunk', $index, $text, $embedding)";
        var asset = insertEntry.Parameters.Add("$asset", SqliteType.Integer);
        var index = insertEntry.Parameters.Add("$index", SqliteType.Integer);
        var text = insertEntry.Parameters.Add("$text", SqliteType.Text);
        var embedding = insertEntry.Parameters.Add("$embedding", SqliteType.Blob);

        var vector = new float[SyntheticVectors.Dimensions];
        var rng = new Random(seed + 1);
        using var ids = new StreamWriter(idsOut);
        var made = 0;
        var assets = 0;
        SqliteTransaction? transaction = null;
        while (made < chunks)
        {
            transaction ??= connection.BeginTransaction();
            insertAsset.Transaction = transaction;
            insertEntry.Transaction = transaction;
            var n = Math.Min(perAsset, chunks - made);
            var fileId = new Guid(rng.NextInt64().ToString("x16", CultureInfo.InvariantCulture) + rng.NextInt64().ToString("x16", CultureInfo.InvariantCulture)).ToString();
            file.Value = upper ? fileId.ToUpperInvariant() : fileId;
            name.Value = $"scale-{assets:D5}.txt";
            size.Value = n * 1000;
            count.Value = n;
            var assetId = (long)insertAsset.ExecuteScalar()!;
            ids.WriteLine(fileId);
            vectors.NextAsset();
            for (var i = 0; i < n; i++)
            {
                vectors.Next(vector);
                asset.Value = assetId;
                index.Value = i;
                text.Value = corpus.Next();
                embedding.Value = MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();
                insertEntry.ExecuteNonQuery();
            }

            made += n;
            assets++;
            if (assets % AssetsPerTransaction == 0 || made >= chunks)
            {
                transaction.Commit();
                transaction.Dispose();
                transaction = null;
            }

            if (made % 100_000 == 0 || made >= chunks)
            {
                Console.Error.WriteLine($"  seeded {made:N0} chunks ({assets} assets) in {clock.Elapsed.TotalSeconds:0} s");
            }
        }

        Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        Console.WriteLine(FormattableString.Invariant(
            $"{{\"chunks\":{made},\"assets\":{assets},\"sentences\":{corpus.Sentences},\"seconds\":{clock.Elapsed.TotalSeconds:0.0},\"db_bytes\":{new FileInfo(path).Length}}}"));
        return 0;
    }

    private static (long Id, bool Upper) Template(SqliteConnection connection, string fileId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Id\", \"FileId\" FROM assets WHERE upper(\"FileId\") = upper($file)";
        command.Parameters.AddWithValue("$file", fileId);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new InvalidOperationException($"no asset with file id {fileId} in the database");
        }

        var stored = reader.GetString(1);
        return (reader.GetInt64(0), stored.Any(char.IsUpper));
    }

    /// <summary>Every column of <c>assets</c> copied from the template as it is (the rest are set per asset).</summary>
    private static List<string> CopiedColumns(SqliteConnection connection)
    {
        string[] set = ["Id", "FileId", "OriginalFilename", "Size", "Status", "Kind", "ChunkCount", "EmbeddingCount", "CreatedAt", "UpdatedAt", "DeletedAt"];
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info('assets')";
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            var column = reader.GetString(0);
            if (!set.Contains(column, StringComparer.Ordinal))
            {
                columns.Add(column);
            }
        }

        return columns;
    }

    private static string Quote(string column) => "\"" + column + "\"";

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
#pragma warning disable CA2100 // fixed SQL
        command.CommandText = sql;
#pragma warning restore CA2100
        command.ExecuteNonQuery();
    }
}
