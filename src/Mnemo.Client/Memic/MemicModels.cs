using System.Text.Json;

namespace Mnemo.Client;

/// <summary>
/// memic file statuses, the Memic Python SDK's <c>FileStatus</c> values: uploading → uploaded → a step's
/// <c>*_started</c>/<c>*_complete</c> → ready; a failure is the failing step's <c>*_failed</c>.
/// </summary>
public static class FileStatus
{
    /// <summary>Waiting for the bytes: a files/init whose PUT has not arrived yet.</summary>
    public const string Uploading = "uploading";
    /// <summary>The bytes arrived; queued for processing.</summary>
    public const string Uploaded = "uploaded";
    /// <summary>Being parsed (the format's parser, speech-to-text or OCR).</summary>
    public const string ParsingStarted = "parsing_started";
    /// <summary>Parsed; its chunks and search entries are being written.</summary>
    public const string ChunkingStarted = "chunking_started";
    /// <summary>Processed: content and search are available.</summary>
    public const string Ready = "ready";
    /// <summary>The bytes never arrived whole (expired upload URL, size mismatch, cut upload).</summary>
    public const string UploadFailed = "upload_failed";
    /// <summary>Memic's value; Mnemo converts no file and never sends it.</summary>
    public const string ConversionFailed = "conversion_failed";
    /// <summary>Parsing failed; <see cref="MnemoFile.ErrorMessage"/> says why.</summary>
    public const string ParsingFailed = "parsing_failed";
    /// <summary>Writing chunks or search entries failed; <see cref="MnemoFile.ErrorMessage"/> says why.</summary>
    public const string ChunkingFailed = "chunking_failed";
    /// <summary>Memic's value; Mnemo embeds nothing yet and never sends it.</summary>
    public const string EmbeddingFailed = "embedding_failed";

    /// <summary>Whether the status is a failure (any step's <c>*_failed</c>).</summary>
    public static bool IsFailure(string status) => status.EndsWith("_failed", StringComparison.Ordinal);
}

/// <summary>A file on the memic surface.</summary>
/// <param name="Id">The file's id (a UUID), as returned by upload; every files call takes it.</param>
/// <param name="Name">The file's name (Mnemo sends the original file name).</param>
/// <param name="OriginalFilename">The file name given at upload, without any directory.</param>
/// <param name="Size">Size in bytes: the declared size until the bytes of a three-step upload arrive.</param>
/// <param name="MimeType">The detected MIME type (the declared one before the bytes arrive); null if unknown.</param>
/// <param name="Status">One of the <see cref="FileStatus"/> values (<c>ready</c>, <c>parsing_failed</c>, …).</param>
/// <param name="ErrorMessage">Why processing failed; null unless <see cref="IsFailed"/>.</param>
/// <param name="ReferenceId">The caller's own id given at upload (a search filter); null if none.</param>
/// <param name="Metadata">The JSON object given at upload; null if none.</param>
/// <param name="TotalChunks">How many text chunks the file has (0 until chunking is done).</param>
/// <param name="PageCount">Pages of a document; null for other files and before parsing.</param>
/// <param name="EnvironmentSlug">The environment the file lives in (the key's).</param>
/// <param name="CreatedAt">When the file was created (UTC).</param>
/// <param name="UpdatedAt">When the file last changed, e.g. its status (UTC).</param>
/// <param name="Extracted">What parsing found; null until the file is ready.</param>
public sealed record MnemoFile(
    Guid Id, string Name, string OriginalFilename, long Size, string? MimeType, string Status, string? ErrorMessage,
    string? ReferenceId, JsonElement? Metadata, int TotalChunks, int? PageCount, string EnvironmentSlug,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, FileExtracted? Extracted)
{
    /// <summary>The project the file belongs to.</summary>
    public Guid ProjectId { get; init; }

    /// <summary>How many embeddings the file has (0 until embeddings exist).</summary>
    public int TotalEmbeddings { get; init; }

    /// <summary>Ready or failed: polling it again will not change it.</summary>
    public bool IsFinished => Status == FileStatus.Ready || IsFailed;

    /// <summary>Whether processing failed (<see cref="ErrorMessage"/> says why).</summary>
    public bool IsFailed => FileStatus.IsFailure(Status);
}

/// <summary>What parsing found (null until the file is ready).</summary>
/// <remarks>A field is null when the file has no such property or it is unknown.</remarks>
/// <param name="DurationSeconds">Length of a video or audio file, in seconds.</param>
/// <param name="Width">Video or image width, in pixels.</param>
/// <param name="Height">Video or image height, in pixels.</param>
/// <param name="Fps">Video frames per second.</param>
/// <param name="Rotation">The video's rotation, in degrees.</param>
/// <param name="VideoCodec">The video codec's name (e.g. <c>h264</c>).</param>
/// <param name="AudioCodec">The audio codec's name (e.g. <c>aac</c>).</param>
/// <param name="Bitrate">Overall bit rate, in bits per second.</param>
/// <param name="AudioChannels">Number of audio channels.</param>
/// <param name="TakenAt">When the photo or video was taken (UTC).</param>
/// <param name="CameraModel">The camera's model.</param>
/// <param name="Latitude">Where it was taken: latitude in degrees (−90 to 90).</param>
/// <param name="Longitude">Where it was taken: longitude in degrees (−180 to 180).</param>
/// <param name="Format">The detected file format (e.g. <c>mp4</c>, <c>pdf</c>).</param>
/// <param name="Sha256">SHA-256 of the original bytes, lowercase hex.</param>
public sealed record FileExtracted(
    double? DurationSeconds, int? Width, int? Height, double? Fps, int? Rotation, string? VideoCodec, string? AudioCodec,
    long? Bitrate, int? AudioChannels, DateTimeOffset? TakenAt, string? CameraModel, double? Latitude, double? Longitude,
    string? Format, string? Sha256);

/// <summary>One page of the file list, newest first.</summary>
/// <param name="Items">The files of this page.</param>
/// <param name="Total">How many files the environment has in all.</param>
/// <param name="Page">This page's number (from 1).</param>
/// <param name="PageSize">The page size asked for (1 to 100).</param>
/// <param name="TotalPages">How many pages there are at this page size (0 when there are no files).</param>
public sealed record FilePage(IReadOnlyList<MnemoFile> Items, int Total, int Page, int PageSize, int TotalPages);

/// <summary>The answer of files/init: PUT the bytes to <see cref="UploadUrl"/>, then confirm.</summary>
/// <param name="FileId">The new file's id (a UUID), to confirm and read it by.</param>
/// <param name="UploadUrl">The one-time URL on the server to PUT the bytes to; the URL is the credential.</param>
/// <param name="ExpiresIn">How long the upload URL stays valid, in seconds.</param>
public sealed record FileUploadInit(Guid FileId, string UploadUrl, int ExpiresIn);

/// <summary>One chunk of a file's extracted text: a document passage or a transcript segment.</summary>
/// <param name="ChunkIndex">The chunk's position in the file, from 0.</param>
/// <param name="Content">The chunk's text.</param>
/// <param name="PageNumber">The page it is on (from 1), for documents; else null.</param>
/// <param name="StartTime">Where it starts in the media, in seconds; null for documents.</param>
/// <param name="EndTime">Where it ends in the media, in seconds; null for documents.</param>
public sealed record FileContentChunk(int ChunkIndex, string Content, int? PageNumber, double? StartTime, double? EndTime);

/// <summary>A ready file's extracted text or transcript.</summary>
/// <param name="FileId">The file's id.</param>
/// <param name="Content">The whole text: every chunk's text, separated by blank lines.</param>
/// <param name="Chunks">The chunks in order, with their page or times.</param>
public sealed record FileContent(Guid FileId, string Content, IReadOnlyList<FileContentChunk> Chunks);

/// <summary>Optional fields of an upload.</summary>
public sealed record UploadFileOptions
{
    /// <summary>The caller's own id for the file (<c>reference_id</c>); search can filter on it.</summary>
    public string? ReferenceId { get; init; }

    /// <summary>A JSON object kept with the file.</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>The folder (memories' <c>unique_id</c> namespace) to put the file in; <c>default</c> when null.</summary>
    public string? FolderId { get; init; }

    /// <summary>The environment the key is bound to; another one is <c>forbidden</c>.</summary>
    public string? EnvironmentSlug { get; init; }
}

/// <summary>A range of pages (from 1), both ends included; a null end is open.</summary>
/// <param name="Gte">The first page; null for no lower bound.</param>
/// <param name="Lte">The last page; null for no upper bound.</param>
public sealed record PageRange(int? Gte, int? Lte);

/// <summary>Search filters (<c>metadata_filters</c>); a null one filters nothing.</summary>
/// <param name="ReferenceId">Only files uploaded with this reference id.</param>
/// <param name="PageNumber">Only chunks on this page (from 1); takes precedence over <paramref name="PageRange"/>.</param>
/// <param name="PageRange">Only chunks on pages in this range.</param>
public sealed record SearchFilters(string? ReferenceId = null, int? PageNumber = null, PageRange? PageRange = null);

/// <summary>A search of this environment's files.</summary>
/// <param name="Query">The text to search for; required, not blank.</param>
public sealed record SearchRequest(string Query)
{
    /// <summary>Search only these files; null or empty searches every file.</summary>
    public IReadOnlyList<Guid>? FileIds { get; init; }

    /// <summary>1 to 50; the server's default is 10.</summary>
    public int? TopK { get; init; }

    /// <summary>0 to 1.</summary>
    public double? MinScore { get; init; }

    /// <summary>Reference id and page filters; null for none.</summary>
    public SearchFilters? MetadataFilters { get; init; }
}

/// <summary>One matching chunk.</summary>
/// <param name="ChunkId">The matched search entry's id (a number, as a string).</param>
/// <param name="ChunkIndex">The chunk's position in its file, from 0.</param>
/// <param name="Content">The matched text.</param>
/// <param name="FileId">The file it comes from.</param>
/// <param name="FileName">That file's name.</param>
/// <param name="MimeType">That file's MIME type; null if unknown.</param>
/// <param name="PageNumber">The page it is on (from 1), for documents; else null.</param>
/// <param name="StartTime">Where it starts in the media, in seconds; null for documents.</param>
/// <param name="EndTime">Where it ends in the media, in seconds; null for documents.</param>
/// <param name="Score">How well it matches, 0 to 1 (higher is better).</param>
public sealed record SearchHit(
    string ChunkId, int ChunkIndex, string Content, Guid FileId, string FileName, string? MimeType,
    int? PageNumber, double? StartTime, double? EndTime, double Score);

/// <summary>The <c>results</c> of a search.</summary>
/// <param name="Semantic">The matching chunks, best first.</param>
public sealed record SearchResults(IReadOnlyList<SearchHit> Semantic);

/// <summary>The answer of a search.</summary>
/// <param name="Query">The query searched for, as sent.</param>
/// <param name="Results">The hits.</param>
/// <param name="TotalResults">How many hits were returned (at most top_k).</param>
/// <param name="SearchTimeMs">How long the server took to search, in milliseconds.</param>
public sealed record SearchResponse(string Query, SearchResults Results, int TotalResults, long SearchTimeMs);

/// <summary>The caller's organization, project and environment.</summary>
/// <param name="OrganizationId">The organization (account) the key belongs to.</param>
/// <param name="OrganizationName">That organization's name.</param>
/// <param name="ProjectId">The project the key belongs to.</param>
/// <param name="ProjectName">That project's name.</param>
/// <param name="EnvironmentId">The environment the key is bound to.</param>
/// <param name="EnvironmentSlug">That environment's slug, as <c>environment_slug</c> fields take it.</param>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716",
    Justification = "memic's name for GET /me, a published SDK type: renaming it would break callers; 'Me' is reserved only in Visual Basic.")]
public sealed record Me(
    Guid OrganizationId, string OrganizationName, Guid ProjectId, string ProjectName, Guid EnvironmentId, string EnvironmentSlug);

/// <summary>One change of the account's credit balance (a ledger row).</summary>
/// <param name="Id">The row's id; higher is newer.</param>
/// <param name="Amount">The change, in credits: negative when credits are taken, positive when given back or added.</param>
/// <param name="BalanceAfter">The balance right after this change, in credits.</param>
/// <param name="Kind">One of <c>adjust</c> (an operator's top-up or debit), <c>reserve</c>, <c>extend</c>, <c>settle</c>, <c>refund</c>.</param>
/// <param name="Reason">What the change was for, in words.</param>
/// <param name="Actor">Who made it: <c>key:&lt;id&gt;</c>, <c>admin</c>, <c>system</c> or <c>bootstrap</c>.</param>
/// <param name="Reference">What a reservation pays for (e.g. <c>asset:&lt;id&gt;</c>), shared by its settle or refund; null otherwise.</param>
/// <param name="RequestId">The request that caused it; null when none did.</param>
/// <param name="CreatedAt">When it happened (UTC).</param>
public sealed record UsageEntry(
    long Id, long Amount, long BalanceAfter, string Kind, string Reason, string Actor,
    string? Reference, string? RequestId, DateTimeOffset CreatedAt);

/// <summary>The balance and one page of the ledger, newest first; <see cref="NextCursor"/> asks for the next.</summary>
/// <param name="Balance">The account's balance now, in credits.</param>
/// <param name="Entries">This page's ledger rows, newest first.</param>
/// <param name="NextCursor">The cursor of the next (older) page; null on the last page.</param>
public sealed record Usage(long Balance, IReadOnlyList<UsageEntry> Entries, string? NextCursor);
