using System.Text.Json;

namespace Mnemo.Client;

/// <summary>
/// memic file statuses, the Memic Python SDK's <c>FileStatus</c> values: uploading → uploaded → a step's
/// <c>*_started</c>/<c>*_complete</c> → ready; a failure is the failing step's <c>*_failed</c>.
/// </summary>
public static class FileStatus
{
    public const string Uploading = "uploading";
    public const string Uploaded = "uploaded";
    public const string ParsingStarted = "parsing_started";
    public const string ChunkingStarted = "chunking_started";
    public const string Ready = "ready";
    public const string UploadFailed = "upload_failed";
    public const string ConversionFailed = "conversion_failed";
    public const string ParsingFailed = "parsing_failed";
    public const string ChunkingFailed = "chunking_failed";
    public const string EmbeddingFailed = "embedding_failed";

    /// <summary>Whether the status is a failure (any step's <c>*_failed</c>).</summary>
    public static bool IsFailure(string status) => status.EndsWith("_failed", StringComparison.Ordinal);
}

/// <summary>A file on the memic surface.</summary>
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
public sealed record FileExtracted(
    double? DurationSeconds, int? Width, int? Height, double? Fps, int? Rotation, string? VideoCodec, string? AudioCodec,
    long? Bitrate, int? AudioChannels, DateTimeOffset? TakenAt, string? CameraModel, double? Latitude, double? Longitude,
    string? Format, string? Sha256);

public sealed record FilePage(IReadOnlyList<MnemoFile> Items, int Total, int Page, int PageSize, int TotalPages);

/// <summary>The answer of files/init: PUT the bytes to <see cref="UploadUrl"/>, then confirm.</summary>
public sealed record FileUploadInit(Guid FileId, string UploadUrl, int ExpiresIn);

public sealed record FileContentChunk(int ChunkIndex, string Content, int? PageNumber, double? StartTime, double? EndTime);

public sealed record FileContent(Guid FileId, string Content, IReadOnlyList<FileContentChunk> Chunks);

/// <summary>Optional fields of an upload.</summary>
public sealed record UploadFileOptions
{
    public string? ReferenceId { get; init; }

    /// <summary>A JSON object kept with the file.</summary>
    public JsonElement? Metadata { get; init; }

    public string? FolderId { get; init; }

    /// <summary>The environment the key is bound to; another one is <c>forbidden</c>.</summary>
    public string? EnvironmentSlug { get; init; }
}

public sealed record PageRange(int? Gte, int? Lte);

public sealed record SearchFilters(string? ReferenceId = null, int? PageNumber = null, PageRange? PageRange = null);

public sealed record SearchRequest(string Query)
{
    public IReadOnlyList<Guid>? FileIds { get; init; }

    /// <summary>1 to 50; the server's default is 10.</summary>
    public int? TopK { get; init; }

    /// <summary>0 to 1.</summary>
    public double? MinScore { get; init; }

    public SearchFilters? MetadataFilters { get; init; }
}

public sealed record SearchHit(
    string ChunkId, int ChunkIndex, string Content, Guid FileId, string FileName, string? MimeType,
    int? PageNumber, double? StartTime, double? EndTime, double Score);

public sealed record SearchResults(IReadOnlyList<SearchHit> Semantic);

public sealed record SearchResponse(string Query, SearchResults Results, int TotalResults, long SearchTimeMs);

/// <summary>The caller's organization, project and environment.</summary>
public sealed record Me(
    Guid OrganizationId, string OrganizationName, Guid ProjectId, string ProjectName, Guid EnvironmentId, string EnvironmentSlug);

public sealed record UsageEntry(
    long Id, long Amount, long BalanceAfter, string Kind, string Reason, string Actor,
    string? Reference, string? RequestId, DateTimeOffset CreatedAt);

/// <summary>The balance and one page of the ledger, newest first; <see cref="NextCursor"/> asks for the next.</summary>
public sealed record Usage(long Balance, IReadOnlyList<UsageEntry> Entries, string? NextCursor);
