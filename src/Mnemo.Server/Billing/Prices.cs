using Microsoft.Extensions.Options;

namespace Mnemo.Server.Billing;

/// <summary>The price table in credits ("Mnemo:Prices"); docs/billing.md explains the defaults.</summary>
public sealed class PriceOptions
{
    public long IndexingPerVideoMinute { get; set; } = 10;
    public long IndexingPerDocumentPage { get; set; } = 3;
    public long SearchPerQuery { get; set; } = 1;
    public long StoragePerGbDay { get; set; } = 1;
    public long DownloadPerGb { get; set; } = 20;

    /// <summary>memories v2 video/clip and video/split: per minute of source video processed.</summary>
    public long VideoEditingPerMinute { get; set; } = 2;

    /// <summary>Reservations before the duration is known assume this many bytes per video minute (≈ 1.3 Mbit/s).</summary>
    public long VideoBytesPerMinuteEstimate { get; set; } = 10_000_000;

    /// <summary>Reservations before the page count is known assume this many bytes per document page.</summary>
    public long DocumentBytesPerPageEstimate { get; set; } = 100_000;

    /// <summary>A document is billed at least one page per this many characters of text it yields (a dense printed page).</summary>
    public long DocumentCharsPerPage { get; set; } = 3_000;
}

/// <summary>One priced operation: what it is (the ledger's reason) and what it costs.</summary>
public sealed record Charge(string Operation, long Credits, string Description);

/// <summary>Turns quantities into charges. Every price rounds up to whole credits.</summary>
public sealed class Prices(IOptionsMonitor<PriceOptions> options)
{
    private const decimal BytesPerGb = 1_000_000_000m;

    private PriceOptions Table => options.CurrentValue;

    public Charge VideoIndexing(double minutes) =>
        new("indexing", Up((decimal)minutes * Table.IndexingPerVideoMinute), $"indexing {minutes:0.##} min of video");

    public Charge DocumentIndexing(int pages) =>
        new("indexing", Up((decimal)pages * Table.IndexingPerDocumentPage), $"indexing {pages} document page(s)");

    /// <summary>
    /// Indexing a document: its real pages (PDF pages, slides, sheets) or one page per
    /// <see cref="PriceOptions.DocumentCharsPerPage"/> characters of text, whichever is more; at least one.
    /// </summary>
    public Charge DocumentIndexing(int? pages, long textChars) =>
        DocumentIndexing((int)Math.Max(1, Math.Max(pages ?? 0, Math.Ceiling((decimal)textChars / Math.Max(1, Table.DocumentCharsPerPage)))));

    /// <summary>What to reserve for indexing an upload before its duration or page count is known (at least one unit).</summary>
    public Charge IndexingEstimate(long bytes, bool isVideo)
    {
        if (isVideo)
        {
            var minutes = Math.Max(1, Math.Ceiling((decimal)bytes / Math.Max(1, Table.VideoBytesPerMinuteEstimate)));
            return new("indexing", Up(minutes * Table.IndexingPerVideoMinute), $"indexing reservation (est. {minutes:0} min of video)");
        }

        var pages = Math.Max(1, Math.Ceiling((decimal)bytes / Math.Max(1, Table.DocumentBytesPerPageEstimate)));
        return new("indexing", Up(pages * Table.IndexingPerDocumentPage), $"indexing reservation (est. {pages:0} page(s))");
    }

    public Charge VideoEditing(string operation, double minutes) =>
        new(operation, Up((decimal)minutes * Table.VideoEditingPerMinute), $"{operation} {minutes:0.##} min of video");

    public Charge Search() => new("search", Table.SearchPerQuery, "search query");

    public Charge Download(long bytes) =>
        new("download", Up(bytes / BytesPerGb * Table.DownloadPerGb), $"download {bytes} bytes");

    public Charge StorageDay(long bytes) =>
        new("storage", Up(bytes / BytesPerGb * Table.StoragePerGbDay), $"storage of {bytes} bytes for one day");

    private static long Up(decimal credits) => credits <= 0 ? 0 : (long)Math.Ceiling(credits);
}
