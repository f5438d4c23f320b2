using System.Text.Json;

namespace Mnemo.Client;

/// <summary>memic file statuses: pending → processing → ready | failed.</summary>
public static class FileStatus
{
    public const string Pending = "pending";
    public const string Processing = "processing";
    public const string Ready = "ready";
    public const string Failed = "failed";
}

/// <summary>A file on the memic surface.</summary>
public sealed record MnemoFile(
    Guid Id, string Name, string OriginalFilename, long Size, string? MimeType, string Status, string? ErrorMessage,
    string? ReferenceId, JsonElement? Metadata, int TotalChunks, int? PageCount, string EnvironmentSlug,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, FileExtracted? Extracted)
{
    /// <summary>Ready or failed: polling it again will not change it.</summary>
    public bool IsFinished => Status is FileStatus.Ready or FileStatus.Failed;
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
